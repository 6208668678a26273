/* Program portal: a filled copy of a form that never leaves the reader's machine.
 *
 * "Save my filled copy" turns what was typed on the page into a file, made here in the
 * browser (a Blob) and handed to the browser's own download: Markdown, or a Word document
 * (.docx: a zip of WordprocessingML, written by the small zip writer below, stored without
 * compression). Nothing is sent (no request), nothing is stored (no localStorage,
 * sessionStorage, IndexedDB or cookies); the file lands where the reader saves it.
 *
 * On every page with fields, leaving it after typing asks first (beforeunload): the answers
 * are kept nowhere else.
 */
(function () {
  "use strict";

  var FIELDS = ".pp-blank, .pp-answer, .pp-choice, .pp-check";

  /* -- what was typed --------------------------------------------------------------------- */

  function clean(text) {
    return String(text || "").replace(/\s+/g, " ").trim();
  }

  /* A heading's text without its permalink (Material's "¶"). */
  function headingText(node) {
    var copy = node.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return clean(copy.textContent);
  }

  /* The form as data: its title, then sections of [question, answer, type]. */
  function collect(article) {
    var form = { title: "", sections: [] };
    var heading = article.querySelector("h1");
    form.title = heading ? headingText(heading) : clean(document.title);
    var current = null;
    article.querySelectorAll("h2, .pp-question").forEach(function (node) {
      if (node.tagName === "H2") {
        current = { title: headingText(node), questions: [] };
        form.sections.push(current);
        return;
      }
      if (!current) {
        current = { title: "", questions: [] };
        form.sections.push(current);
      }
      var label = node.querySelector(".pp-question-text");
      var type = node.getAttribute("data-pp-type") || "text";
      var answer = "";
      var checked = node.querySelector("input.pp-choice:checked");
      if (checked) {
        answer = checked.value;
      } else {
        var field = node.querySelector("textarea, input:not([type=radio])");
        answer = field ? field.value : "";
      }
      current.questions.push({ question: label ? clean(label.textContent) : "", answer: answer, type: type });
    });
    return form;
  }

  function typed(root) {
    var fields = root.querySelectorAll(FIELDS);
    for (var i = 0; i < fields.length; i += 1) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox") ? f.checked : f.value !== "") {
        return true;
      }
    }
    return false;
  }

  /* -- Markdown ----------------------------------------------------------------------------- */

  /* Plain text as Markdown that shows exactly that text (no formatting, no HTML, no links). */
  function mdText(text) {
    return String(text)
      .replace(/[\\`*_{}\[\]<>|~!&]/g, "\\$&")
      .replace(/^(\s*)([#>+=-]|\d+[.)])/gm, "$1\\$2");
  }

  function markdown(form, words) {
    var out = ["# " + mdText(form.title), ""];
    form.sections.forEach(function (section) {
      if (section.title) {
        out.push("## " + mdText(section.title), "");
      }
      section.questions.forEach(function (q) {
        out.push("**" + mdText(q.question) + "**", "");
        var answer = String(q.answer).replace(/\r\n?/g, "\n").trim();
        out.push(answer ? answer.split("\n").map(mdText).join("  \n") : "*" + mdText(words["form.no-answer"] || "(no answer)") + "*", "");
      });
    });
    return out.join("\n");
  }

  /* -- Word (.docx) --------------------------------------------------------------------------- */

  function xml(text) {
    return String(text)
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, "")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

  function paragraph(text, style, italic) {
    var props = style ? '<w:pPr><w:pStyle w:val="' + style + '"/></w:pPr>' : "";
    var runs = String(text).split("\n").map(function (line, n) {
      return (n ? "<w:r><w:br/></w:r>" : "") + '<w:r>' + (italic ? "<w:rPr><w:i/></w:rPr>" : "") +
        '<w:t xml:space="preserve">' + xml(line) + "</w:t></w:r>";
    }).join("");
    return "<w:p>" + props + runs + "</w:p>";
  }

  function documentXml(form, words) {
    var body = [paragraph(form.title, "Title")];
    form.sections.forEach(function (section) {
      if (section.title) {
        body.push(paragraph(section.title, "Heading1"));
      }
      section.questions.forEach(function (q) {
        body.push(paragraph(q.question, "Question"));
        var answer = String(q.answer).replace(/\r\n?/g, "\n").trim();
        body.push(answer ? paragraph(answer, null) : paragraph(words["form.no-answer"] || "(no answer)", null, true));
      });
    });
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + W + "><w:body>" +
      body.join("") + "<w:sectPr/></w:body></w:document>";
  }

  function stylesXml(lang) {
    function style(id, name, size, bold) {
      return '<w:style w:type="paragraph" w:styleId="' + id + '"><w:name w:val="' + name + '"/><w:basedOn w:val="Normal"/>' +
        '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="60"/></w:pPr>' +
        "<w:rPr>" + (bold ? "<w:b/>" : "") + '<w:sz w:val="' + size + '"/></w:rPr></w:style>';
    }
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles ' + W + ">" +
      '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/><w:lang w:val="' + xml(lang) + '"/></w:rPr></w:rPrDefault>' +
      '<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>' +
      '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
      style("Title", "Title", 40, false) + style("Heading1", "heading 1", 28, true) + style("Question", "Question", 22, true) +
      "</w:styles>";
  }

  function docxFiles(form, words, lang) {
    var rels = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
    return [
      ["[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
        "</Types>"],
      ["_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ' + rels + ">" +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        "</Relationships>"],
      ["word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ' + rels + ">" +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
        "</Relationships>"],
      ["word/document.xml", documentXml(form, words)],
      ["word/styles.xml", stylesXml(lang)],
    ];
  }

  /* -- a zip writer (stored entries, no compression, a fixed 1980-01-01 date) ------------------ */

  var CRC_TABLE = (function () {
    var table = [];
    for (var n = 0; n < 256; n += 1) {
      var c = n;
      for (var k = 0; k < 8; k += 1) {
        c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      table.push(c >>> 0);
    }
    return table;
  })();

  function crc32(bytes) {
    var crc = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i += 1) {
      crc = CRC_TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
    }
    return (crc ^ 0xFFFFFFFF) >>> 0;
  }

  function zip(files) {
    var encoder = new TextEncoder();
    var parts = [];
    var central = [];
    var offset = 0;
    function header(size) {
      var buffer = new ArrayBuffer(size);
      return { bytes: new Uint8Array(buffer), view: new DataView(buffer) };
    }
    files.forEach(function (file) {
      var name = encoder.encode(file[0]);
      var data = encoder.encode(file[1]);
      var crc = crc32(data);
      var local = header(30 + name.length);
      var v = local.view;
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(4, 20, true);
      v.setUint16(6, 0x0800, true); // UTF-8 names
      v.setUint16(8, 0, true); // stored
      v.setUint16(10, 0, true);
      v.setUint16(12, 0x21, true); // 1980-01-01
      v.setUint32(14, crc, true);
      v.setUint32(18, data.length, true);
      v.setUint32(22, data.length, true);
      v.setUint16(26, name.length, true);
      v.setUint16(28, 0, true);
      local.bytes.set(name, 30);
      var entry = header(46 + name.length);
      var c = entry.view;
      c.setUint32(0, 0x02014b50, true);
      c.setUint16(4, 20, true);
      c.setUint16(6, 20, true);
      c.setUint16(8, 0x0800, true);
      c.setUint16(10, 0, true);
      c.setUint16(12, 0, true);
      c.setUint16(14, 0x21, true);
      c.setUint32(16, crc, true);
      c.setUint32(20, data.length, true);
      c.setUint32(24, data.length, true);
      c.setUint16(28, name.length, true);
      c.setUint32(42, offset, true);
      entry.bytes.set(name, 46);
      parts.push(local.bytes, data);
      central.push(entry.bytes);
      offset += local.bytes.length + data.length;
    });
    var size = central.reduce(function (sum, b) { return sum + b.length; }, 0);
    var end = header(22);
    end.view.setUint32(0, 0x06054b50, true);
    end.view.setUint16(8, files.length, true);
    end.view.setUint16(10, files.length, true);
    end.view.setUint32(12, size, true);
    end.view.setUint32(16, offset, true);
    return parts.concat(central, [end.bytes]);
  }

  /* -- saving ------------------------------------------------------------------------------------ */

  function save(name, parts, type) {
    var url = URL.createObjectURL(new Blob(parts, { type: type }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  var dirty = false;

  function setUp() {
    var lang = document.documentElement.getAttribute("lang") || "en";
    document.querySelectorAll("[data-pp-save]").forEach(function (button) {
      if (button.dataset.ppReady) {
        return;
      }
      button.dataset.ppReady = "true";
      button.hidden = false;
      var article = button.closest("article") || document.body;
      var file = button.getAttribute("data-pp-file") || "form";
      var words = { "form.no-answer": button.getAttribute("data-pp-no-answer") || "" };
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var form = collect(article);
        if (button.getAttribute("data-pp-save") === "docx") {
          save(file + ".docx", zip(docxFiles(form, words, lang)),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        } else {
          save(file + ".md", [markdown(form, words)], "text/markdown;charset=utf-8");
        }
      });
    });
    document.querySelectorAll("[data-pp-save-note]").forEach(function (note) {
      note.hidden = false;
    });
    document.addEventListener("input", function (event) {
      if (event.target && event.target.matches && event.target.matches(FIELDS)) {
        dirty = typed(document);
      }
    });
    document.addEventListener("change", function (event) {
      if (event.target && event.target.matches && event.target.matches(FIELDS)) {
        dirty = typed(document);
      }
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = true; // the browser shows its own question, in the reader's language
        return "";
      }
      return undefined;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
