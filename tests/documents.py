"""Reading generated PDFs back: their text, and the QR codes in their images."""

import io

import pypdf
import zxingcpp


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def qr_texts(data: bytes) -> list[str]:
    """Every QR code found in the images embedded in the PDF."""
    found = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            found += [barcode.text for barcode in zxingcpp.read_barcodes(image.image.convert("L"))]
    return found
