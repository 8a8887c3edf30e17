// A button marked data-liaison-print prints the page (no inline handlers: the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-liaison-print]")) {
    window.print();
  }
});
