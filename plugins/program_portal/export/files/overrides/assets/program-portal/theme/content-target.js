/* program-portal export: the theme's inline tab-anchor script (Material for MkDocs 9.8 / Zensical), as a file. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
