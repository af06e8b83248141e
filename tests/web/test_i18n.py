"""Korean by default, English on request (the compiled catalogue is committed: no gettext needed)."""


def test_korean_is_the_default(world):
    html = world.client(world.officer).get("/search/").content.decode()
    assert '<html lang="ko">' in html
    assert "제품 검색" in html


def test_switch_to_english_and_back(world):
    client = world.client(world.officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/search/?q=LED"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=LED"
    html = client.get("/search/?q=LED").content.decode()
    assert '<html lang="en">' in html
    assert "Product search" in html
    assert "Sign out" in html
    assert "2 results, showing 1–2" in html
    client.post("/i18n/setlang/", {"language": "ko", "next": "/search/"})
    assert "제품 검색" in client.get("/search/").content.decode()


def test_english_pages_for_every_role(world):
    pages = {
        world.supplier_a: ("/supplier/", "My company"),
        world.reviewer: ("/review/", "Review queue"),
        world.admin: ("/exports/", "Nara Marketplace feed"),
    }
    for user, (path, text) in pages.items():
        client = world.client(user)
        client.post("/i18n/setlang/", {"language": "en", "next": path})
        assert text in client.get(path).content.decode()


def test_accept_language_picks_english(world):
    client = world.client(world.officer, headers={"accept-language": "en-US,en;q=0.9"})
    assert "Product search" in client.get("/search/").content.decode()


def test_language_switch_offers_both_languages(world):
    html = world.client(world.officer).get("/search/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html
    assert 'value="ko"' in html
