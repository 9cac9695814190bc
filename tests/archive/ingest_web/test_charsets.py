"""Decoding a page: byte order mark, then the HTTP header, then <meta>, then a guess."""

import codecs

from archive.ingest.charsets import (
    DETECTED,
    FROM_BOM,
    FROM_HTTP_HEADER,
    FROM_META,
    charset_from_content_type,
    codec_for,
    declared_charset,
    decode_page,
)

STORY = "The court heard that the “boss” paid each driver $500 – a week’s wage."
KHMER = "នគរបាលបានឃាត់ខ្លួនជនសង្ស័យចំនួនបីនាក់ នៅខេត្តព្រះសីហនុ។"
THAI = "ตำรวจจับกุมผู้ต้องหาสามรายพร้อมยาบ้าหนึ่งหมื่นเม็ดที่จังหวัดเชียงราย"


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>Report</title></head><body><p>{body}</p></body></html>"


def test_a_byte_order_mark_wins_over_the_header_and_the_meta():
    data = codecs.BOM_UTF8 + page(KHMER, '<meta charset="windows-1252">').encode("utf-8")
    decoded = decode_page(data, charset_hint="iso-8859-1")
    assert (decoded.charset, decoded.charset_source) == ("utf-8", FROM_BOM)
    assert KHMER in decoded.text
    assert not decoded.text.startswith("\ufeff")


def test_a_utf16_page_is_read_by_its_byte_order_mark():
    data = codecs.BOM_UTF16_LE + page(KHMER).encode("utf-16-le")
    decoded = decode_page(data)
    assert (decoded.charset, decoded.charset_source) == ("utf-16-le", FROM_BOM)
    assert KHMER in decoded.text


def test_the_http_header_wins_over_the_meta():
    data = page(STORY, '<meta charset="utf-8">').encode("cp1252")
    decoded = decode_page(data, charset_hint="windows-1252")
    assert (decoded.charset, decoded.charset_source) == ("cp1252", FROM_HTTP_HEADER)
    assert STORY in decoded.text


def test_meta_charset_and_http_equiv_are_both_read():
    for head in (
        '<meta charset="windows-1252">',
        "<meta http-equiv='Content-Type' content='text/html; charset=Windows-1252'>",
        '<META HTTP-EQUIV="content-type" CONTENT="text/html;charset=windows-1252">',
    ):
        decoded = decode_page(page(STORY, head).encode("cp1252"))
        assert (decoded.charset, decoded.charset_source) == ("cp1252", FROM_META), head
        assert STORY in decoded.text


def test_a_meta_after_a_long_head_is_still_found():
    head = "<style>" + "p{margin:0}" * 500 + "</style>" + '<meta charset="windows-874">'
    decoded = decode_page(page(THAI, head).encode("cp874"))
    assert (decoded.charset, decoded.charset_source) == ("cp874", FROM_META)
    assert THAI in decoded.text


def test_iso_8859_1_is_read_as_windows_1252_as_browsers_do():
    # Byte 0x93 is a curly quote in Windows-1252 and a control character in ISO-8859-1.
    data = page(STORY, '<meta charset="ISO-8859-1">').encode("cp1252")
    decoded = decode_page(data)
    assert decoded.charset == "cp1252"
    assert "“boss”" in decoded.text


def test_tis_620_is_read_as_windows_874():
    assert codec_for("TIS-620") == "cp874"
    assert codec_for("windows-874") == "cp874"


def test_an_undeclared_utf8_page_is_detected():
    decoded = decode_page(page(STORY + " " + KHMER).encode("utf-8"))
    assert (decoded.charset, decoded.charset_source) == ("utf-8", DETECTED)
    assert KHMER in decoded.text


def test_an_undeclared_windows_1252_page_is_detected():
    text = " ".join([STORY] * 6 + ["Café owners in Siem Reap said the raid was “overdue”."] * 4)
    decoded = decode_page(page(text).encode("cp1252"))
    assert decoded.charset_source == DETECTED
    # The detector may name another code page that reads these bytes alike (cp1250 does).
    assert text in decoded.text


def test_an_undeclared_thai_page_in_a_thai_code_page_is_detected():
    text = " ".join([THAI] * 8)
    decoded = decode_page(page(text).encode("cp874"))
    assert decoded.charset_source == DETECTED
    assert THAI in decoded.text


def test_an_unknown_label_falls_through_to_detection():
    decoded = decode_page(page(KHMER, '<meta charset="x-made-up">').encode("utf-8"))
    assert (decoded.charset, decoded.charset_source) == ("utf-8", DETECTED)


def test_a_meta_declaring_utf16_in_an_ascii_compatible_page_means_utf8():
    assert declared_charset(page(KHMER, '<meta charset="utf-16">').encode("utf-8")) == "utf-8"


def test_bytes_the_declared_charset_cannot_read_are_replaced_and_counted():
    data = page("caf\xe9 \xe9t\xe9", '<meta charset="utf-8">').encode("latin-1")
    decoded = decode_page(data)
    assert decoded.charset_source == FROM_META
    assert decoded.replaced_characters == 3
    assert "caf\ufffd" in decoded.text


def test_the_charset_of_a_content_type_header():
    assert charset_from_content_type("text/html; charset=UTF-8") == "UTF-8"
    assert charset_from_content_type('text/html;charset="windows-1252"') == "windows-1252"
    assert charset_from_content_type("text/html") == ""
    assert charset_from_content_type("") == ""


def test_many_unclosed_script_tags_do_not_slow_detection_down():
    # The detector's sample skips scripts; a pattern that looked for each one's end to the end of
    # the page would take minutes here.
    data = b"<html><body>" + b"<script>caf\xe9 " * 50_000 + b"</body></html>"
    decoded = decode_page(data)
    assert decoded.charset_source == DETECTED
