"""Proposal attachments: PDFs and images, checked by their first bytes, stored outside the web root.

The browser's filename and Content-Type are not trusted: the type comes from the magic
bytes, the file on disk gets a random name under instance/uploads/proposals, and it is
served only through `proposals.attachment`, which asks `can_download_attachment` first.
All uploads of one request are checked before any is written, so a bad file stores nothing.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from catalog_app.extensions import db
from catalog_app.models import Proposal, ProposalAttachment, User
from catalog_app.proposals.errors import ProposalError

EXTENSION_BY_TYPE = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


@dataclass
class Upload:
    """A checked upload, held in memory until the proposal row exists."""

    filename: str
    content: bytes
    content_type: str


def sniff_type(head: bytes) -> str | None:
    """The file type from its magic bytes, or None when it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def max_bytes() -> int:
    return current_app.config["PROPOSAL_ATTACHMENT_MAX_BYTES"]


def max_count() -> int:
    return current_app.config["PROPOSAL_ATTACHMENT_MAX_COUNT"]


def upload_dir() -> Path:
    return Path(current_app.config["PROPOSAL_UPLOAD_DIR"])


def attachment_path(attachment: ProposalAttachment) -> Path:
    return upload_dir() / attachment.stored_name


def _clean_name(filename: str) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip().replace("\x00", "")
    return name[-120:] or "attachment"


def check_uploads(files: list[tuple[str, object]], already_attached: int = 0) -> list[Upload]:
    """Read and check every (filename, stream); reads at most the limit + 1 bytes per file.

    :raises ProposalError: on the "attachments" field for a file too large, of the wrong
        type, or one too many.
    """
    files = [(name, stream) for name, stream in files if name]
    if already_attached + len(files) > max_count():
        raise ProposalError(_l("A proposal can have at most %(count)d attachments.", count=max_count()),
                            "attachments")
    limit = max_bytes()
    uploads = []
    for filename, stream in files:
        content = stream.read(limit + 1)
        if len(content) > limit:
            raise ProposalError(_l("“%(name)s” is larger than %(size)s MB.", name=_clean_name(filename),
                                   size=f"{limit / 1048576:g}"), "attachments")
        content_type = sniff_type(content[:16])
        if content_type is None:
            raise ProposalError(_l("“%(name)s” is not a PDF, PNG, JPEG or WebP file.", name=_clean_name(filename)),
                                "attachments")
        uploads.append(Upload(_clean_name(filename), content, content_type))
    return uploads


def add_attachments(proposal: Proposal, uploads: list[Upload], actor: User) -> list[Path]:
    """Add the rows (flushed, not committed) and write the files; returns the written paths,
    which the caller removes if its commit fails."""
    written = []
    directory = upload_dir()
    if uploads:
        directory.mkdir(parents=True, exist_ok=True)
    for upload in uploads:
        attachment = ProposalAttachment(
            proposal=proposal, stored_name=secrets.token_hex(16) + EXTENSION_BY_TYPE[upload.content_type],
            original_name=upload.filename, content_type=upload.content_type, size_bytes=len(upload.content),
            uploaded_by_id=actor.id)
        db.session.add(attachment)
        path = directory / attachment.stored_name
        path.write_bytes(upload.content)
        written.append(path)
    db.session.flush()
    return written


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
