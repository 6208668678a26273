/* program-portal export: the theme's inline announcement script (Material for MkDocs 9.8 / Zensical), as a file. */
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
