// The in-browser reader: PDF.js (vendored) loading the reader's stamped copy with HTTP
// range requests, so the first pages show before the whole file has arrived.
const root = document.getElementById("reader");
const status = root.querySelector("[data-role=status]");
const pageInput = document.getElementById("reader-page");
const findInput = document.getElementById("reader-find");

const pdfjsLib = await import(root.dataset.pdfjs);
globalThis.pdfjsLib = pdfjsLib;
const viewerLib = await import(root.dataset.viewer);
pdfjsLib.GlobalWorkerOptions.workerSrc = root.dataset.worker;

const eventBus = new viewerLib.EventBus();
const linkService = new viewerLib.PDFLinkService({ eventBus });
const findController = new viewerLib.PDFFindController({ eventBus, linkService });
const viewer = new viewerLib.PDFViewer({
  container: document.getElementById("viewerContainer"),
  viewer: document.getElementById("viewer"),
  eventBus,
  linkService,
  findController,
});
linkService.setViewer(viewer);

const initialPage = Number(root.dataset.page) || 1;

eventBus.on("pagesinit", () => {
  viewer.currentScaleValue = "page-width";
  viewer.currentPageNumber = Math.min(initialPage, viewer.pagesCount);
});
eventBus.on("pagechanging", (event) => {
  pageInput.value = event.pageNumber;
  const url = new URL(window.location);
  url.searchParams.set("page", event.pageNumber);
  window.history.replaceState(null, "", url);
  root.dataset.currentPage = event.pageNumber;
});
eventBus.on("pagerendered", (event) => {
  if (event.pageNumber === viewer.currentPageNumber) {
    status.textContent = status.dataset.pageText.replace("%(page)s", event.pageNumber);
    root.dataset.rendered = event.pageNumber;
  }
});
status.dataset.pageText = document.documentElement.lang === "en" ? "Page %(page)s" : "Halaman %(page)s";

root.querySelector("[data-action=previous]").addEventListener("click", () => viewer.previousPage());
root.querySelector("[data-action=next]").addEventListener("click", () => viewer.nextPage());
root.querySelector("[data-action=zoom-in]").addEventListener("click", () => {
  viewer.currentScale = Math.min(viewer.currentScale * 1.2, 5);
});
root.querySelector("[data-action=zoom-out]").addEventListener("click", () => {
  viewer.currentScale = Math.max(viewer.currentScale / 1.2, 0.25);
});
pageInput.addEventListener("change", () => {
  const number = Number(pageInput.value);
  if (number >= 1 && number <= viewer.pagesCount) viewer.currentPageNumber = number;
});
root.querySelector("[data-role=search]").addEventListener("submit", (event) => {
  event.preventDefault();
  eventBus.dispatch("find", {
    source: null, type: "", query: findInput.value, caseSensitive: false,
    entireWord: false, highlightAll: true, findPrevious: false, matchDiacritics: false,
  });
});

try {
  const documentProxy = await pdfjsLib.getDocument({
    url: root.dataset.file,
    withCredentials: true,
    isEvalSupported: false,
    disableAutoFetch: true,
    disableStream: true,
    rangeChunkSize: 256 * 1024,
    standardFontDataUrl: root.dataset.fonts,
  }).promise;
  viewer.setDocument(documentProxy);
  linkService.setDocument(documentProxy, null);
  root.querySelector("[data-role=page-count]").textContent = documentProxy.numPages;
  pageInput.max = documentProxy.numPages;
} catch (error) {
  status.textContent = document.documentElement.lang === "en"
    ? "The document could not be loaded. Please reload the page."
    : "Dokumen tidak dapat dimuat. Silakan muat ulang halaman.";
  console.warn(error);
}
