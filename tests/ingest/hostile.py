"""Hostile files, made small on the spot: each is a few MB at most on disk and asks a reader for gigabytes or
minutes (issue 11's probes). Used by tests/ingest/test_hostile.py."""
from __future__ import annotations

import io
import zipfile
import zlib

__all__ = ["HOSTILE", "docx", "docx_zip_bomb", "pdf", "pdf_flate_bomb", "pdf_many_pages", "html_nested",
           "docx_huge_span", "docx_billion_laughs"]

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def docx(document_xml: bytes | str | None = None, *, body_chunks: tuple[bytes, int] | None = None) -> bytes:
    """A minimal .docx around ``document_xml``, or around one paragraph of ``chunk`` written ``times`` times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _TYPES)
        package.writestr("_rels/.rels", _RELS)
        with package.open("word/document.xml", "w") as part:
            if body_chunks is None:
                part.write(document_xml.encode() if isinstance(document_xml, str) else document_xml)
            else:
                chunk, times = body_chunks
                part.write(f'<?xml version="1.0"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode())
                for _ in range(times):
                    part.write(chunk)
                part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def docx_zip_bomb(uncompressed_mb: int = 2000) -> bytes:
    """document.xml inflating to ``uncompressed_mb`` of text (issue 11: 2.1 MB took 4.3 GB)."""
    return docx(body_chunks=("政".encode() * (2**20 // 3), uncompressed_mb))


def docx_huge_span(span: int = 50_000_000) -> bytes:
    """A 10 KB table whose one cell spans fifty million grid columns."""
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    xml = (f'<?xml version="1.0"?><w:document {_W}><w:body><w:p><w:r><w:t>某某街道2020年政府信息公开工作年度报告'
           f'</w:t></w:r></w:p><w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>' + f"<w:tr>{cell}</w:tr>" * 40
           + "</w:tbl></w:body></w:document>")
    return docx(xml)


def docx_billion_laughs(levels: int = 10) -> bytes:
    """Nested entities that expand to 10^levels copies of one word."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]><w:document {_W}><w:body><w:p><w:r>'
           f'<w:t>&lol{levels - 1};</w:t></w:r></w:p></w:body></w:document>')
    return docx(xml)


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_flate_bomb(uncompressed_mb: int = 2000) -> bytes:
    """One page whose content stream inflates to ``uncompressed_mb`` of spaces (issue 11: 1.5 MB took 3.1 GB)."""
    packer = zlib.compressobj(9)
    chunk = b" " * 2**20
    data = b"".join(packer.compress(chunk) for _ in range(uncompressed_mb)) + packer.flush()
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                _stream(data, b"/Filter /FlateDecode ")])


def pdf_many_pages(pages: int = 5000) -> bytes:
    """``pages`` pages sharing one content stream of text (issue 11: 5,000 pages passed 11.9 GB at 590 s)."""
    text = b"BT /F1 10 Tf 50 800 Td " + b" ".join(b"(line %d) Tj 0 -12 Td" % i for i in range(60)) + b" ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               _stream(text)]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> " \
           b"/Contents 4 0 R >>"
    return pdf(objects + [page] * pages)


def html_nested(depth: int = 1_000_000) -> bytes:
    """A million nested tags (issue 11: ran past 300 s)."""
    return b"<html><body>" + b"<div>" * depth + "某某街道2020年政府信息公开工作年度报告".encode() + b"</div>" * depth + \
        b"</body></html>"


HOSTILE = {  # file name: how to make it
    "zip_bomb.docx": docx_zip_bomb,
    "flate_bomb.pdf": pdf_flate_bomb,
    "many_pages.pdf": pdf_many_pages,
    "nested.html": html_nested,
    "huge_span.docx": docx_huge_span,
    "billion_laughs.docx": docx_billion_laughs,
}
