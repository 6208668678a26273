/* program-portal export: the theme's inline version-banner script (Material for MkDocs 9.8 / Zensical), as a file. */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.getAttribute("data-md-base")||".",location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
