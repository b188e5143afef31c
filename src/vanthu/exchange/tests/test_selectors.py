"""Reads: who sees which deliveries, and a number of queries that does not grow with the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.core.errors import NotFoundError
from vanthu.documents.models import DocumentRecipient
from vanthu.exchange import selectors
from vanthu.exchange.models import DeliveryStatus
from vanthu.exchange.services import deliveries_send
from vanthu.exchange.services import delivery_report_status
from vanthu.exchange.tests.factories import agencies_with_clerks
from vanthu.exchange.tests.factories import agency_recipient
from vanthu.exchange.tests.factories import issued_document
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def send_to(document, agencies, blob, clerk, now):
    for ordinal, agency in enumerate(agencies):
        agency_recipient(document, agency, ordinal=ordinal)
    recipients = list(DocumentRecipient.objects.filter(document=document))
    return deliveries_send(document=document, recipients=recipients, blob_sha256=blob.sha256, actor=clerk, now=now)


def count_queries(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return len(queries), result


class TestArrivalsFor:
    def test_lists_only_the_deliveries_to_my_agency(self, sent, recipient_clerk, province, now):
        stranger = person_with_role(Role.CLERK, AgencyFactory(parent=province))

        assert [d.pk for d in selectors.arrivals_for(person=recipient_clerk, now=now)] == [sent[0].pk]
        assert list(selectors.arrivals_for(person=stranger, now=now)) == []

    def test_an_officer_of_the_recipient_sees_no_arrival(self, sent, other_officer, now):
        assert list(selectors.arrivals_for(person=other_officer, now=now)) == []

    def test_filters_by_status(self, sent, recipient_clerk, now):
        delivery_report_status(delivery=sent[0], status=DeliveryStatus.REGISTERED, actor=recipient_clerk, now=now)

        assert list(selectors.arrivals_for(person=recipient_clerk, now=now, status=DeliveryStatus.ARRIVED)) == []
        assert len(selectors.arrivals_for(person=recipient_clerk, now=now, status=DeliveryStatus.REGISTERED)) == 1


class TestSentFor:
    def test_groups_the_deliveries_per_document_newest_first(self, agency, clerk, province, blob, now):
        agencies = agencies_with_clerks(province, 3)
        first = issued_document(agency=agency, created_by=clerk, number=1)
        second = issued_document(agency=agency, created_by=clerk, number=2)
        send_to(first, agencies[:2], blob, clerk, now)
        send_to(second, agencies, blob, clerk, now.replace(hour=5))

        groups = selectors.sent_for(person=clerk, now=now)

        assert [group.document.pk for group in groups] == [second.pk, first.pk]
        assert [len(group.deliveries) for group in groups] == [3, 2]

    def test_runs_the_same_queries_for_few_and_many(self, agency, clerk, province, blob, now):
        agencies = agencies_with_clerks(province, 6)
        send_to(issued_document(agency=agency, created_by=clerk, number=1), agencies[:1], blob, clerk, now)
        few, _groups = count_queries(lambda: selectors.sent_for(person=clerk, now=now))
        for number in range(2, 6):
            send_to(issued_document(agency=agency, created_by=clerk, number=number), agencies, blob, clerk, now)

        many, groups = count_queries(lambda: selectors.sent_for(person=clerk, now=now))

        assert len(groups) == 5
        assert few == many


class TestDeliveriesOfDocument:
    def test_gives_each_recipient_with_its_timeline_in_fixed_queries(self, agency, clerk, province, blob, now):
        agencies = agencies_with_clerks(province, 5)
        small = issued_document(agency=agency, created_by=clerk, number=1)
        large = issued_document(agency=agency, created_by=clerk, number=2)
        send_to(small, agencies[:1], blob, clerk, now)
        send_to(large, agencies, blob, clerk, now)

        def timelines(document):
            deliveries = selectors.deliveries_of_document(document=document, person=clerk, now=now)
            return [list(delivery.events.all()) for delivery in deliveries]

        few, _ = count_queries(lambda: timelines(small))
        many, result = count_queries(lambda: timelines(large))

        assert [len(events) for events in result] == [1] * 5
        assert few == many


class TestDeliveryGetFor:
    def test_is_a_not_found_for_someone_who_may_not_see_it(self, sent, other_officer, now):
        with pytest.raises(NotFoundError):
            selectors.delivery_get_for(person=other_officer, pk=sent[0].pk, now=now)
