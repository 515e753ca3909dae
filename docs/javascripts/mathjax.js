// MathJax for the formulas that pymdownx.arithmatex (generic mode) wraps in `arithmatex` elements, as
// mkdocs-material documents it (https://squidfunk.github.io/mkdocs-material/reference/math/). MathJax itself is
// loaded from a CDN when a page is viewed; building the site needs no network.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex"
  }
};

document$.subscribe(() => {
  MathJax.startup.output.clearCache()
  MathJax.typesetClear()
  MathJax.texReset()
  MathJax.typesetPromise()
})
