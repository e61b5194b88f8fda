"""Fill ``search_name`` again: the folding now spells out « St »/« Ste » and glues elided articles.

The stored column and every query must go through the same ``normalize_search``, or the search (and
its trigram index) would miss « St-Gildas » typed as « saint gildas », or « L'Haÿ » typed as « l hay ».
"""

from django.db import migrations

BATCH = 2000


def refold(apps, schema_editor):
    from partnership.text import normalize_search

    Collectivity = apps.get_model("partnership", "Collectivity")
    changed = []
    for collectivity in Collectivity.objects.only("pk", "name", "search_name").iterator(chunk_size=BATCH):
        folded = normalize_search(collectivity.name)
        if folded != collectivity.search_name:
            collectivity.search_name = folded
            changed.append(collectivity)
    Collectivity.objects.bulk_update(changed, ["search_name"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("partnership", "0004_outbox")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=True)]
