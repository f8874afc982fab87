"""Search keys for people: pinyin initials and the phone's last four digits, indexed, filled for existing rows."""

import commonground.core.validators
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Right
from pypinyin import Style, lazy_pinyin

BATCH = 2000


def initials_of(name):
    """As services.people.initials_of on the day of this migration (migrations keep their own copy)."""
    words = " ".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).split()
    return "".join(word[0] for word in words if word[0].isascii() and word[0].isalpha()).lower()[:100]


def fill_search_keys(apps, schema_editor):
    Person = apps.get_model("core", "Person")
    Person.objects.update(phone_tail=Right("phone", 4))
    batch = []
    for person in Person.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
        person.name_initials = initials_of(person.name)
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_update(batch, ["name_initials"])
            batch = []
    Person.objects.bulk_update(batch, ["name_initials"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_import_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalperson',
            name='name_initials',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='name initials (pinyin)'),
        ),
        migrations.AddField(
            model_name='person',
            name='name_initials',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=100, verbose_name='name initials (pinyin)'),
        ),
        migrations.AddField(
            model_name='person',
            name='phone_tail',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=4, verbose_name='last digits of the phone'),
        ),
        migrations.AlterField(
            model_name='person',
            name='id_number',
            field=models.CharField(blank=True, error_messages={'unique': 'This ID number is already registered. Search for the person instead of registering them again.'}, max_length=18, null=True, unique=True, validators=[commonground.core.validators.validate_id_number], verbose_name='resident ID number'),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(('phone_tail', django.db.models.functions.text.Right('phone', 4))), name='person_phone_tail_of_phone'),
        ),
    ]
