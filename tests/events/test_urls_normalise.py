"""The normal form of source URLs: one form per address, however it was pasted."""

from importlib import import_module

import pytest
from django.apps import apps

from events.models import Source
from events.urls_normalise import normalise_url
from tests.factories import SourceFactory


@pytest.mark.parametrize(
    ("pasted", "normal"),
    [
        ("http://news.example.org/story", "https://news.example.org/story"),
        ("HTTP://News.Example.org:80/story", "https://news.example.org/story"),
        ("https://news.example.org:443/story#top", "https://news.example.org/story"),
        ("https://news.example.org/story?id=7&utm_source=x", "https://news.example.org/story?id=7"),
        ("http://news.example.org", "https://news.example.org/"),
        # An explicit port names another server: its scheme is kept.
        ("http://news.example.org:8080/story", "http://news.example.org:8080/story"),
        ("http://[2001:db8::1]/story", "https://[2001:db8::1]/story"),
        ("  ", ""),
    ],
)
def test_it_writes_each_address_in_one_form(pasted, normal):
    assert normalise_url(pasted) == normal


def test_http_and_https_of_one_address_have_one_form():
    assert normalise_url("http://news.example.org/a?x=1") == normalise_url(
        "https://news.example.org/a?x=1#f"
    )


@pytest.mark.django_db
def test_http_and_https_of_one_address_are_one_source():
    SourceFactory(url="https://news.example.org/story")
    duplicate = SourceFactory.build(url="http://news.example.org/story")
    with pytest.raises(Exception, match="Source with this URL already exists"):
        duplicate.full_clean()


@pytest.mark.django_db
def test_the_migration_writes_stored_http_urls_as_https_unless_both_are_stored():
    plain = SourceFactory(url="https://a.example.org/1")
    twin_https = SourceFactory(url="https://b.example.org/2")
    twin_http = SourceFactory(url="https://c.example.org/3")
    with_port = SourceFactory(url="https://d.example.org/4")
    # Rows as the old normaliser stored them (update() bypasses today's save()).
    Source.objects.filter(pk=plain.pk).update(url="http://a.example.org/1")
    Source.objects.filter(pk=twin_http.pk).update(url="http://b.example.org/2")
    Source.objects.filter(pk=with_port.pk).update(url="http://d.example.org:8080/4")

    import_module("events.migrations.0015_source_urls_https").to_https(apps, None)

    urls = dict(Source.objects.values_list("pk", "url"))
    assert urls[plain.pk] == "https://a.example.org/1"
    assert (urls[twin_https.pk], urls[twin_http.pk]) == (
        "https://b.example.org/2",
        "http://b.example.org/2",  # left for a curator to merge
    )
    assert urls[with_port.pk] == "http://d.example.org:8080/4"
    assert Source.objects.get(pk=plain.pk).version == plain.version + 1
