// Signet signing page, the document viewer: draws every page of the documents with pdf.js
// (vendored, served from this origin) and the signer's fields over them at their true
// positions, and guides the signer from one field that still needs them to the next.
// The form below the documents stays the one place values are entered (sign.js sends them);
// a field's marker on the page leads to its control there. No inline script or style (CSP).
import * as pdfjs from "/assets/pdfjs/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/assets/pdfjs/pdf.worker.min.mjs";

// The words, in the signer's language (the server's table, see #page-strings).
const T = JSON.parse(document.getElementById("page-strings").dataset.strings);
const NAMES = {
  signature: T.field_signature, initials: T.field_initials, date: T.field_date,
  text: T.field_text, checkbox: T.field_checkbox,
};
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
const section = document.querySelector("section.documents[data-session]");
const form = document.getElementById("sign-form");
const markers = [];

if (section) main();

async function main() {
  const holders = [...section.querySelectorAll(".pages[data-url]")];
  holders.forEach(layOut);
  const fields = form ? await signerFields() : [];
  const drawn = await Promise.allSettled(
    holders.map((holder) => drawDocument(holder, fields.filter((f) => f.document_id === holder.dataset.document)))
  );
  if (form) guide();
  document.body.dataset.pdf = drawn.every((d) => d.status === "fulfilled") ? "rendered" : "failed";
}

// Empty pages of the right shapes (from the server, before anything is fetched), so the
// layout is final at once and drawing moves nothing.
function layOut(holder) {
  const width = Math.max(holder.clientWidth, 200);
  for (const [number, shape] of holder.dataset.shapes.split(" ").entries()) {
    const [w, h] = shape.split("/").map(Number);
    const sheet = document.createElement("div");
    sheet.className = "page";
    sheet.dataset.page = String(number + 1);
    sheet.style.width = width + "px";
    sheet.style.height = (w > 0 ? (width * h) / w : width * 1.414) + "px";
    holder.append(sheet);
  }
}

async function signerFields() {
  try {
    const response = await fetch(section.dataset.session, { credentials: "same-origin" });
    return response.ok ? (await response.json()).fields || [] : [];
  } catch (err) {
    return [];
  }
}

async function drawDocument(holder, fields) {
  const loading = holder.querySelector(".loading");
  try {
    const pdf = await pdfjs.getDocument({
      url: holder.dataset.url,
      isEvalSupported: false,
      standardFontDataUrl: "/assets/pdfjs/standard_fonts/",
    }).promise;
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      await drawPage(holder, page, number, fields.filter((f) => f.page === number));
    }
    loading.remove();
  } catch (err) {
    loading.textContent = T.cannot_show;
    throw err;
  }
}

async function drawPage(holder, page, number, fields) {
  let sheet = holder.querySelector('.page[data-page="' + number + '"]');
  if (!sheet) {
    sheet = document.createElement("div");
    sheet.className = "page";
    sheet.dataset.page = String(number);
    sheet.style.width = Math.max(holder.clientWidth, 200) + "px";
    holder.append(sheet);
  }
  const width = parseFloat(sheet.style.width);
  const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
  const ratio = window.devicePixelRatio || 1;
  sheet.style.height = viewport.height + "px";
  const canvas = document.createElement("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", fill(T.page_of, { page: number, name: holder.dataset.name }));
  sheet.append(canvas);
  const transform = ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0];
  await page.render({ canvas, viewport, transform }).promise;
  for (const field of fields) sheet.append(marker(field, viewport, page.view, number));
}

// A field's box on the page, from PDF user space relative to the crop box (points, origin
// bottom left; `view` is the crop box, the viewport applies the page's rotation) to the drawn
// page's CSS pixels. Markers are a visual
// guide for pointers (a click leads to the field's control); keyboards and screen readers
// have the same controls in the form, the "Next field" button and the summary, so markers
// are hidden from assistive technology rather than repeating those controls.
function marker(field, viewport, view, number) {
  const [x, y] = [field.x + view[0], field.y + view[1]];
  const [x1, y1] = viewport.convertToViewportPoint(x, y);
  const [x2, y2] = viewport.convertToViewportPoint(x + field.width, y + field.height);
  const auto = field.type === "date";
  const el = document.createElement("span");
  el.setAttribute("aria-hidden", "true");
  el.className = "marker " + field.type + (field.required ? " required" : "");
  el.dataset.field = field.id;
  el.dataset.kind = field.type;
  el.style.left = Math.min(x1, x2) + "px";
  el.style.top = Math.min(y1, y2) + "px";
  el.style.width = Math.abs(x2 - x1) + "px";
  el.style.height = Math.abs(y2 - y1) + "px";
  const name = NAMES[field.type] || field.type;
  // A date field shows the date it will get (the server's, in the signer's language).
  const today = section.dataset.today;
  fitLabel(el, field.type === "signature" ? T.sign_here : auto ? today : name, Math.abs(x2 - x1), Math.abs(y2 - y1));
  el.title = auto ? fill(T.date_title, { date: today }) : field.required ? fill(T.required_title, { name }) : name;
  if (!auto) el.addEventListener("click", () => visit(field.id, field.type));
  markers.push({ el, field, name, number });
  return el;
}

// What the signer still has to give: required text and checkbox fields, the statements not
// ticked yet, and a signature when any signature or initials field waits for it.
function missing() {
  const left = [];
  let signature = false;
  for (const { field, name, number } of markers) {
    if (field.type === "signature" || field.type === "initials") signature = true;
    else if (field.required && !filled(field)) left.push({ field, label: fill(T.on_page, { name, page: number }) });
  }
  if (form.querySelector("[data-statement]:not(:checked)"))
    left.push({ field: { id: null, type: "statement" }, label: T.your_declarations });
  if (signature && !signed()) left.push({ field: { id: null, type: "signature" }, label: T.your_signature });
  return left;
}

function filled(field) {
  const input = document.getElementById("f-" + field.id);
  if (!input) return true;
  return input.type === "checkbox" ? input.checked : input.value.trim() !== "";
}

function signed() {
  const kind = form.querySelector("input[name=sigkind]:checked");
  if (!kind) return true;
  if (kind.value === "drawn") return document.getElementById("pad").dataset.drawn === "true";
  return document.getElementById("typed-name").value.trim() !== "";
}

function guide() {
  const next = document.getElementById("next-field");
  const remaining = document.getElementById("remaining");
  if (!next) return;
  const update = () => {
    const left = missing();
    remaining.textContent = left.length
      ? fill(T.still_needed, { list: left.map((l) => l.label).join(", ") })
      : T.all_filled;
    for (const m of markers) {
      const done = m.field.type === "signature" || m.field.type === "initials" ? signed() : filled(m.field);
      m.el.classList.toggle("done", done);
    }
  };
  ["input", "change", "signet:signature"].forEach((type) => form.addEventListener(type, update));
  next.addEventListener("click", () => {
    const left = missing();
    if (left.length) visit(left[0].field.id, left[0].field.type);
    else document.getElementById("consent").focus();
  });
  update();
}

// A marker's words fit its box as the page scales (a phone shows the page at half size or
// less), on one line or, in a taller box, two; a box too small for readable words shows none
// (its title and the form still name the field).
function fitLabel(el, text, width, height) {
  const fits = (lines) =>
    Math.floor(Math.min(12, (height * 0.6) / lines, (width - 6) / (Math.ceil(text.length / lines) * 0.62)));
  const [one, two] = [fits(1), fits(2)];
  const size = Math.max(one, two);
  if (size < 7) return;
  if (two > one) el.classList.add("two-lines");
  el.style.fontSize = size + "px";
  el.textContent = text;
}

// Takes the signer to a field's control in the form and marks the field on the page.
function visit(id, type) {
  for (const m of markers) m.el.classList.toggle("current", m.field.id === id || (id === null && m.field.type === type));
  let target = id && document.getElementById("f-" + id);
  if (type === "statement") target = form.querySelector("[data-statement]:not(:checked)");
  if (!target) {
    const drawn = form.querySelector("input[name=sigkind][value=drawn]:checked");
    target = document.getElementById(drawn ? "pad" : "typed-name");
  }
  if (target) target.focus();
}
