/* Program portal: behaviour of generated pages. Nothing here stores or sends anything. */
(function () {
  "use strict";
})();
