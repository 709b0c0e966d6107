"""Pictures: uploads checked before anything is stored, renditions without metadata, the pages and cards that
show them, and the admin that uploads them. Every image is generated in memory (tests/helpers/pictures.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from claims import editorial
from claims.admin.pictures import uploaded_picture
from claims.cards import CARD_HEIGHT, CARD_WIDTH, PICTURE_PANEL_WIDTH, render_claim_card
from claims.editorial.quizzes import drafts_of
from claims.models import Claim, Picture
from claims.revisions import revisions_of
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    PublishedClaimFactory,
    PublishedQuizFactory,
    make_picture,
)
from tests.helpers.admin_posts import claim_post, client_for
from tests.helpers.pictures import (
    GPS_IFD,
    ORIENTATION,
    SVG_WITH_SCRIPT,
    image_bytes,
    png_claiming,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in Path(media_root).rglob("*") if p.is_file())


def refusal(content: bytes, name: str = "picture.jpg", **words) -> ValidationError:
    words = {"alt_text": "A crossing", "credit": "Jane Doe", **words}
    with pytest.raises(ValidationError) as caught:
        editorial.picture_create(upload=upload(content, name), by=editorial.DEMO_AUTHOR, **words)
    return caught.value


# -- what is refused: a clear sentence at the upload field, and nothing stored --

HUGE = png_claiming(20_000, 20_000)


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (HUGE, "picture_too_large", "too large"),
        (png_claiming(9_000, 700), "picture_too_large", "too large"),  # a side over PICTURE_MAX_SIDE
        (image_bytes()[:3000], "picture_damaged", "damaged or incomplete"),  # a truncated JPEG
        (SVG_WITH_SCRIPT, "picture_type", "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\x00" * 100, "picture_type", "not a JPEG, PNG or WebP"),
        (image_bytes(500, 400), "picture_too_small", "500 pixels wide"),
        (b"", "picture_empty", "empty"),
    ],
    ids=["20000x20000", "too-wide", "truncated-jpeg", "svg-with-script", "gif", "too-small", "empty"],
)
def test_a_bad_upload_is_refused_with_a_sentence_and_nothing_is_stored(media_root, content, code, words):
    error = refusal(content, name="photo.svg" if content is SVG_WITH_SCRIPT else "photo.jpg")
    [message] = error.message_dict["upload"]
    assert words in message
    assert message.endswith(".")
    assert not Picture.objects.exists()
    assert stored_files(media_root) == []


def test_a_huge_image_is_refused_on_its_header_without_decoding(monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("decoded a 20,000 by 20,000 image")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    assert "too large" in refusal(HUGE).messages[0]


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(settings):
    settings.PICTURE_MAX_BYTES = 1000
    assert "larger than 0.001 MB" in refusal(image_bytes()).messages[0]


def test_alt_text_and_credit_are_required(media_root):
    error = refusal(image_bytes(), alt_text="  ", credit="")
    assert error.message_dict["alt_text"] == ["Say what the picture shows, for readers who cannot see it."]
    assert error.message_dict["credit"] == ["Credit the picture: who made it, and who holds the rights."]
    assert stored_files(media_root) == []


def test_a_reader_visible_picture_needs_an_editor():
    with pytest.raises(PermissionDenied):
        editorial.picture_create(upload=upload(image_bytes()), alt_text="A", credit="B", by=None)


# -- what is stored: by content, without metadata, upright, in a few widths --


def test_a_png_named_jpg_is_stored_as_the_png_it_is(media_root):
    picture = make_picture(fmt="PNG")  # uploaded as "picture.jpg", image/jpeg
    assert picture.original.endswith("/original.png")
    with Image.open(Path(media_root) / picture.original) as original:
        assert original.format == "PNG"


def test_renditions_in_webp_and_jpeg_at_each_width_never_upscaled(media_root):
    picture = make_picture(width=1600, height=900)
    assert [(r["width"], r["height"], r["format"]) for r in picture.renditions] == [
        (480, 270, "webp"), (480, 270, "jpeg"),
        (800, 450, "webp"), (800, 450, "jpeg"),
        (1200, 675, "webp"), (1200, 675, "jpeg"),
    ]  # fmt: skip
    for rendition in picture.renditions:
        with Image.open(Path(media_root) / rendition["name"]) as image:
            assert image.format == rendition["format"].upper()
            assert image.size == (rendition["width"], rendition["height"])
    small = make_picture(width=700, height=700)
    assert sorted({r["width"] for r in small.renditions}) == [480, 700]


def test_file_names_carry_a_digest_of_the_content(media_root):
    first, second = make_picture(), make_picture(colour=(0, 90, 200))
    assert first.key != second.key
    assert all(first.key in name for name in first.file_names)
    again = make_picture()  # the same upload again: the same files, written once
    assert again.key == first.key and again.pk != first.pk


def test_exif_with_the_gps_position_is_stripped_from_every_stored_file(media_root):
    raw = image_bytes(gps=True)
    with Image.open(io.BytesIO(raw)) as uploaded:
        assert uploaded.getexif().get_ifd(GPS_IFD), "the generated upload carries a GPS position"
    picture = make_picture(gps=True)
    for name in picture.file_names:
        with Image.open(Path(media_root) / name) as stored:
            assert "exif" not in stored.info, name
            assert not stored.getexif(), name
        assert b"Camera maker" not in (Path(media_root) / name).read_bytes()


def test_the_recorded_orientation_is_applied_to_the_pixels(media_root):
    # 1600x900 as stored by a camera held upright: EXIF orientation 6 says "rotate 90° clockwise to view".
    picture = make_picture(width=1600, height=900, orientation=6, left_colour=(0, 0, 255))
    assert (picture.width, picture.height) == (900, 1600)
    with Image.open(Path(media_root) / picture.fallback["name"]) as shown:
        assert ORIENTATION not in shown.getexif()
        top = shown.convert("RGB").getpixel((shown.width // 2, 10))
        assert top[2] > 200 and top[0] < 60, "the left half (blue) is now at the top"


def test_transparency_is_kept_in_webp_and_flattened_on_white_in_jpeg(media_root):
    picture = make_picture(fmt="PNG", mode="RGBA")
    webp = next(r for r in picture.renditions if r["format"] == "webp")
    with Image.open(Path(media_root) / webp["name"]) as image:
        assert image.mode == "RGBA"
    with Image.open(Path(media_root) / picture.fallback["name"]) as image:
        assert image.mode == "RGB"


# -- on the pages --


def test_the_include_renders_a_picture_element_with_srcset_sizes_and_its_shape():
    picture = make_picture(width=1600, height=900, alt_text="Agents at a crossing", credit="Jane Doe/Example")
    html = render_to_string("includes/picture.html", {"picture": picture, "sizes": "50vw", "lazy": True})
    assert '<source type="image/webp" srcset="/media/pictures/' in html
    assert " 480w, " in html and " 1200w" in html
    assert 'sizes="50vw"' in html
    assert 'width="1200" height="675"' in html
    assert 'alt="Agents at a crossing"' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert "Image: Jane Doe/Example" in html
    eager = render_to_string("includes/picture.html", {"picture": picture})
    assert "loading=" not in eager and 'sizes="100vw"' in eager


def _claim_page_queries(client, claim) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_claim_page_shows_its_picture_without_another_query(client):
    plain, pictured = PublishedClaimFactory(), PublishedClaimFactory()
    picture = make_picture(alt_text="Agents at a crossing")
    Claim.objects.filter(pk=pictured.pk).update(picture=picture)  # the page's reads are what is measured
    without, _html = _claim_page_queries(client, plain)
    with_picture, html = _claim_page_queries(client, pictured)
    assert with_picture == without
    assert 'alt="Agents at a crossing"' in html
    assert html.index("bottom-line") < html.index('class="picture"') < html.index('id="sources"')


def test_the_question_step_and_quiz_intro_show_their_pictures(client):
    quiz = PublishedQuizFactory(questions=2)
    question = quiz.questions.order_by("position").first()
    question.picture = make_picture(alt_text="A chart of crossings")
    article_picture = make_picture(alt_text="The reporter's photo", colour=(10, 120, 10))
    quiz.article.picture = article_picture
    by = EditorFactory(role__chief=True)
    editorial.article_save(article=quiz.article, by=by)
    editorial.quiz_save(quiz=quiz, questions=[*drafts_of(quiz)[:0], *_drafts_with(quiz, question)], by=by)
    intro = client.get(quiz.get_absolute_url()).content.decode()
    assert "The reporter&#x27;s photo" in intro
    client.post(reverse("quiz-start", kwargs={"slug": quiz.slug}))
    step = client.get(reverse("quiz-question", kwargs={"slug": quiz.slug, "number": 1})).content.decode()
    assert 'alt="A chart of crossings"' in step


def _drafts_with(quiz, question):
    drafts = drafts_of(quiz)
    for draft in drafts:
        if draft.question.pk == question.pk:
            draft.question.picture = question.picture
    return drafts


def test_a_question_picture_change_is_an_edit_of_the_quiz():
    quiz = PublishedQuizFactory(questions=1)
    by = EditorFactory(role__chief=True)
    editorial.quiz_save(quiz=quiz, questions=drafts_of(quiz), by=by)
    before = revisions_of(quiz).count()
    drafts = drafts_of(quiz)
    drafts[0].question.picture = make_picture()
    editorial.quiz_save(quiz=quiz, questions=drafts, by=by)
    assert quiz.questions.get().picture_id == drafts[0].question.picture.pk
    assert revisions_of(quiz).count() == before + 1


def test_a_translation_shares_its_originals_picture():
    claim = PublishedClaimFactory()
    by = EditorFactory(role__chief=True)
    translation = editorial.translation_start(original=claim, language="es", by=by)
    claim.picture = make_picture()
    editorial.claim_save(claim=claim, sources=list(claim.sources.all()), by=by, minor_edit=True)
    translation.refresh_from_db()
    assert translation.picture_id == claim.picture_id


# -- share cards --


def test_the_claim_card_shows_its_picture(media_root):
    claim = PublishedClaimFactory()
    plain = Image.open(io.BytesIO(render_claim_card(claim)))
    claim.picture = make_picture(colour=(0, 200, 0))
    pictured = Image.open(io.BytesIO(render_claim_card(claim)))
    assert pictured.size == plain.size == (CARD_WIDTH, CARD_HEIGHT)
    x, y = CARD_WIDTH - PICTURE_PANEL_WIDTH // 2, CARD_HEIGHT // 2
    red, green, blue = pictured.convert("RGB").getpixel((x, y))
    assert green > 150 and red < 60 and blue < 60
    assert plain.convert("RGB").getpixel((x, y)) != (red, green, blue)


def test_the_card_address_changes_key_with_the_picture(client):
    claim = PublishedClaimFactory()
    url = reverse("claim-card", kwargs={"slug": claim.slug})
    before = client.get(url)
    Claim.objects.filter(pk=claim.pk).update(picture=make_picture())
    after = client.get(url)
    assert after.status_code == 200 and after["Content-Type"] == "image/png"
    assert before["ETag"] != after["ETag"]


def test_a_card_whose_picture_file_is_gone_is_drawn_without_it(media_root):
    claim = PublishedClaimFactory()
    claim.picture = make_picture()
    for path in stored_files(media_root):
        path.unlink()
    assert Image.open(io.BytesIO(render_claim_card(claim))).size == (CARD_WIDTH, CARD_HEIGHT)


# -- deleting --


def test_a_picture_in_use_is_not_deleted_and_an_unused_one_goes_with_its_files(
    media_root, django_capture_on_commit_callbacks
):
    chief = EditorFactory(role__chief=True)
    used, unused = make_picture(), make_picture(colour=(1, 2, 3))
    ClaimFactory(picture=used)
    with pytest.raises(ValidationError, match="choose another there first"):
        editorial.picture_delete(picture=used, by=chief)
    with django_capture_on_commit_callbacks(execute=True):
        editorial.picture_delete(picture=unused, by=chief)
    assert list(Picture.objects.all()) == [used]
    assert {p.relative_to(media_root).as_posix() for p in stored_files(media_root)} == set(used.file_names)
    with pytest.raises(PermissionDenied):
        editorial.picture_delete(picture=used, by=EditorFactory())


def test_files_of_a_picture_whose_item_was_not_saved_are_removed(media_root, rf):
    """The admin makes the uploaded picture, then saves the item: if that fails, the files go too."""

    class Form:
        cleaned_data = {"new_picture": upload(image_bytes()), "new_picture_alt_text": "A", "new_picture_credit": "B"}
        instance = Claim()

    with pytest.raises(RuntimeError), uploaded_picture(Form(), editorial.DEMO_AUTHOR) as picture:  # type: ignore[arg-type]
        assert picture is not None and stored_files(media_root)
        raise RuntimeError("the item's own action refused")
    assert stored_files(media_root) == []


# -- the admin --


def test_an_editor_uploads_a_picture_on_its_admin_page(media_root):
    client = _client(EditorFactory())
    response = client.post(
        reverse("admin:claims_picture_add"),
        {"upload": upload(image_bytes()), "alt_text": "Agents at a crossing", "credit": "Jane Doe", "language": "en"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    picture = Picture.objects.get()
    assert (picture.alt_text, picture.credit, picture.width) == ("Agents at a crossing", "Jane Doe", 1600)
    assert stored_files(media_root)
    page = client.get(reverse("admin:claims_picture_change", args=[picture.pk])).content.decode()
    assert 'class="picture-preview"' in page
    listing = client.get(reverse("admin:claims_picture_changelist")).content.decode()
    assert 'class="picture-thumbnail"' in listing


@pytest.mark.parametrize(
    ("content", "words"),
    [(HUGE, "too large"), (SVG_WITH_SCRIPT, "not a JPEG, PNG or WebP"), (image_bytes()[:3000], "damaged")],
    ids=["20000x20000", "svg-with-script", "truncated-jpeg"],
)
def test_a_bad_upload_in_the_admin_is_a_form_error_and_nothing_is_stored(media_root, content, words):
    client = _client(EditorFactory())
    response = client.post(
        reverse("admin:claims_picture_add"),
        {"upload": upload(content, "photo.jpg"), "alt_text": "A", "credit": "B", "language": "en"},
    )
    assert response.status_code == 200
    assert words in " ".join(response.context["adminform"].form.errors["upload"])
    assert not Picture.objects.exists()
    assert stored_files(media_root) == []


def test_a_claim_form_uploads_its_picture_with_the_claim(media_root):
    client = _client(EditorFactory())
    data = claim_post(ArticleFactory())
    data |= {"new_picture": upload(image_bytes()), "new_picture_alt_text": "A crossing", "new_picture_credit": "J. D."}
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get()
    assert claim.picture is not None and claim.picture.alt_text == "A crossing"
    assert revisions_of(claim).get().data["picture_id"] == claim.picture.pk


def test_a_claim_form_with_a_bad_upload_shows_it_at_the_field_and_saves_nothing(media_root):
    client = _client(EditorFactory())
    data = claim_post(ArticleFactory())
    data |= {"new_picture": upload(SVG_WITH_SCRIPT, "chart.svg"), "new_picture_credit": ""}
    response = client.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "not a JPEG, PNG or WebP" in " ".join(errors["new_picture"])
    assert errors["new_picture_alt_text"] and errors["new_picture_credit"]
    assert not Claim.objects.exists()
    assert not Picture.objects.exists() and stored_files(media_root) == []


def _client(user):
    return client_for(user)
