"""The naive baseline: what most Django projects would write for the same endpoints.

DRF ModelSerializers with nested serializers, the default PageNumberPagination (a COUNT(*) and
an OFFSET per page) and filters on the ORM. It is not a straw man: every view uses
select_related and prefetch_related, so it runs a fixed number of queries per page; what it
pays for is a serializer per object and counting and skipping rows.
Serve it as Timeline with DJANGO_SETTINGS_MODULE=bench.naive.settings (bench/run.py does).
"""
