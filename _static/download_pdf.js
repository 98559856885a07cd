// "Download PDF" links on every page of the site.
//
// scripts/build_pdf.py prints the book to pdf/lossbook.pdf (the whole course) and
// pdf/<page>.pdf (one handout per chapter, at the page's own path, e.g.
// pdf/chapters/regression/mse.pdf), next to the site's pages. This script adds a link to both at the
// top of the page's article header, and to the theme's download menu. Paths are taken
// relative to the site root that Sphinx writes in <html data-content_root>, so the links
// work from any page depth, on a server or from file://.
(function () {
  "use strict";

  function pageName(root) {
    // The page's path below the site root, without ".html": "chapters/regression/mse".
    var here = new URL(window.location.href);
    var base = new URL(root, here);
    var path = decodeURIComponent(here.pathname);
    var basePath = decodeURIComponent(base.pathname);
    if (path.indexOf(basePath) !== 0) return null;
    var rel = path.slice(basePath.length).replace(/\.html$/, "");
    if (rel === "" || rel === "index") return null;
    return rel;
  }

  function link(href, text, title, extra) {
    var a = document.createElement("a");
    a.href = href;
    a.className = "btn btn-sm lossbook-pdf-link" + (extra ? " " + extra : "");
    a.title = title;
    a.setAttribute("download", "");
    var icon = document.createElement("i");
    icon.className = "fas fa-file-pdf";
    icon.setAttribute("aria-hidden", "true");
    a.appendChild(icon);
    a.setAttribute("aria-label", text);
    var label = document.createElement("span");
    label.className = "lossbook-pdf-text";
    label.textContent = " " + text;
    a.appendChild(label);
    return a;
  }

  function add() {
    var root = document.documentElement.dataset.content_root;
    if (root === undefined) return;
    if (document.querySelector(".lossbook-pdf-links")) return;
    var page = pageName(root);
    var book = root + "pdf/lossbook.pdf";

    var box = document.createElement("div");
    box.className = "lossbook-pdf-links noprint";
    box.appendChild(link(book, "Download PDF", "The whole book as one PDF"));
    if (page && page.indexOf("chapters/") === 0) {
      box.appendChild(link(root + "pdf/" + page + ".pdf",
                           "This chapter (PDF)", "This chapter as a PDF handout",
                           "lossbook-pdf-chapter"));
    }
    var target = document.querySelector(".article-header-buttons");
    if (target) {
      target.insertBefore(box, target.firstChild);
    } else {
      var article = document.querySelector("main") || document.body;
      article.insertBefore(box, article.firstChild);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", add);
  } else {
    add();
  }
})();
