"""Builds attacked copies of a signed PDF for the verifier tests (each an incremental update or
an in-place edit of a Signet-signed original), using pyHanko's PDF writer.

Usage: python attacks.py SIGNED.pdf OUT_DIR
Writes OUT_DIR/<attack>.pdf for every attack below and prints their names.
"""

import sys
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader


def first_page(writer):
    return writer.root["/Pages"]["/Kids"][0].get_object()


def page_content(data):
    """An update that replaces the first page's content with other text."""
    w = IncrementalPdfFileWriter(BytesIO(data))
    page = first_page(w)
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (PAY 1,000,000 EUR) Tj ET")
    page["/Contents"] = w.add_object(stream)
    w.update_container(page)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def covering_annotation(data):
    """An update that adds an opaque square annotation over the page."""
    w = IncrementalPdfFileWriter(BytesIO(data))
    page = first_page(w)
    annot = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Square"),
        generic.NameObject("/Rect"): generic.ArrayObject(
            [generic.NumberObject(n) for n in (0, 0, 612, 792)]),
        generic.NameObject("/IC"): generic.ArrayObject(
            [generic.FloatObject(1), generic.FloatObject(1), generic.FloatObject(1)]),
    })
    ref = w.add_object(annot)
    annots = page.get("/Annots")
    items = list(annots.get_object()) if annots is not None else []
    page["/Annots"] = generic.ArrayObject(items + [ref])
    w.update_container(page)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def swapped_object(data):
    """An update that redefines an existing object (the first page's font) under its own
    number: the incremental saving attack."""
    w = IncrementalPdfFileWriter(BytesIO(data))
    page = first_page(w)
    fonts = page["/Resources"]["/Font"]
    font_ref = fonts.raw_get(sorted(fonts.keys())[0])
    font = font_ref.get_object()
    font["/BaseFont"] = generic.NameObject("/Courier")
    w.mark_update(font_ref)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def trailing_garbage(data):
    """Bytes after the final %%EOF (stricter than pyHanko: Signet calls this invalid)."""
    return data + b"% appended after signing\n1 0 obj (x) endobj\n"


def fake_revision(data):
    """Bytes after the final %%EOF dressed up as a revision (ending in their own %%EOF)."""
    return data + b"% appended after signing\n%%EOF\n"


def flipped_byte(data):
    """One digit inside the first signed range (before the /Contents gap) changed."""
    at = _last(data, b"/ByteRange [") + len(b"/ByteRange [")
    gap_start = int(data[at:data.index(b"]", at)].split()[1])
    at = gap_start // 2
    while data[at] not in b"0123456789":
        at += 1
    assert at < gap_start
    digit = data[at]
    return data[:at] + (b"1" if digit != ord("1") else b"2") + data[at + 1:]


def _last(data, key):
    at = data.rfind(key)
    assert at >= 0, key
    return at


def shifted_byte_range(data):
    """The last /ByteRange rewritten (same width) so the gap no longer matches /Contents."""
    at = _last(data, b"/ByteRange [") + len(b"/ByteRange [")
    end = data.index(b"]", at)
    nums = [int(n) for n in data[at:end].split()]
    nums[1] += 2
    text = " ".join(str(n) for n in nums).encode().ljust(end - at)
    return data[:at] + text + data[end:]


def wrong_sub_filter(data):
    """The last signature's /SubFilter renamed (same length)."""
    at = _last(data, b"/ETSI.CAdES.detached")
    return data[:at] + b"/ETSI.CAdES.detacheX" + data[at + len(b"/ETSI.CAdES.detached"):]


def wrong_type(data):
    """The last signature dictionary's /Type /Sig renamed."""
    at = _last(data, b"/Type /Sig\n")
    return data[:at] + b"/Type /Sog\n" + data[at + len(b"/Type /Sig\n"):]


def truncated_contents(data):
    """The /Contents gap overwritten with zeros (signature removed, length kept)."""
    at = _last(data, b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", at)
    return data[:at] + b"0" * (end - at) + data[end:]


def missing_byte_range(data):
    """The last signature's /ByteRange key renamed: the signature must still be reported."""
    at = _last(data, b"/ByteRange [")
    return data[:at] + b"/ByteRangX [" + data[at + len(b"/ByteRange ["):]


def missing_contents(data):
    """The last signature's /Contents key renamed: the signature must still be reported."""
    at = _last(data, b"/Contents <")
    return data[:at] + b"/Contentz <" + data[at + len(b"/Contents <"):]


ATTACKS = {
    "page_content": page_content,
    "covering_annotation": covering_annotation,
    "swapped_object": swapped_object,
    "trailing_garbage": trailing_garbage,
    "fake_revision": fake_revision,
    "flipped_byte": flipped_byte,
    "shifted_byte_range": shifted_byte_range,
    "wrong_sub_filter": wrong_sub_filter,
    "wrong_type": wrong_type,
    "truncated_contents": truncated_contents,
    "missing_byte_range": missing_byte_range,
    "missing_contents": missing_contents,
}


def main():
    source, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    data = source.read_bytes()
    PdfFileReader(BytesIO(data))  # the original must parse
    for name, attack in ATTACKS.items():
        (out_dir / f"{name}.pdf").write_bytes(attack(data))
        print(name)


if __name__ == "__main__":
    main()
