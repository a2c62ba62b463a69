"""The accessibility statement in Ukrainian, and its list of the site's languages.

Fills the Ukrainian text of each part of the statement that has none yet (the
columns are new, so on a site where editors have not touched them yet, all of them),
translated from the default statement of `0002_accessibilitystatement`. In the
Polish and English texts, the line that names the site's languages gains Ukrainian,
only where it still reads as the default statement wrote it: a text an editor has
rewritten is left alone.
"""

from django.db import migrations

UKRAINIAN_TEXT = {
    "entity_name": "Союз польських метрополій (Unia Metropolii Polskich)",
    "non_compliance": (
        "Невідповідності:\n\n"
        "- Частина текстів доступна лише польською мовою; такий фрагмент позначено як "
        "польськомовний і супроводжено поясненням.\n"
        "- PDF-документи, підготовлені іншими установами (наприклад, тексти декларацій "
        "і матеріали із засідань), можуть бути не повністю доступними.\n"
        "- Карта підписантів спрощена; ту саму інформацію подано під нею у вигляді "
        "списку."
    ),
    "contact_person": "Редакція порталу",
    "procedure": (
        "Кожен має право звернутися до публічного органу з вимогою забезпечити цифрову "
        "доступність вебсайту або його елемента, а також надати альтернативний доступ "
        "до них. Вимога має містити дані особи, яка звертається, зазначення сторінки "
        "або елемента, яких вона стосується, і спосіб зв'язку. Якщо особа просить "
        "надати інформацію в іншій формі, вона має вказати цю форму.\n\n"
        "Публічний орган виконує вимогу невідкладно, не пізніше ніж протягом 7 днів. "
        "Якщо дотриматися цього строку неможливо, він повідомляє про це і про новий "
        "строк, не довший ніж 2 місяці. Якщо забезпечити доступність неможливо, він "
        "пропонує альтернативний доступ.\n\n"
        "Після відмови, а також якщо публічний орган не забезпечив ні доступності, ні "
        "альтернативного доступу, можна подати скаргу. Після вичерпання цієї процедури "
        "можна звернутися із заявою до Уповноваженого з прав людини (Rzecznik Praw "
        "Obywatelskich)."
    ),
    "architecture": (
        "Портал є вебсайтом і не приймає відвідувачів у будівлі. Інформацію про "
        "архітектурну доступність приміщень Союзу польських метрополій надає його "
        "офіс."
    ),
    "mobile_apps": "Портал не має мобільного застосунку.",
    "additional_information": (
        "- Сайт працює без JavaScript, ним можна користуватися лише за допомогою "
        "клавіатури; активний елемент чітко позначено.\n"
        "- На початку кожної сторінки є посилання «Перейти до основного вмісту».\n"
        "- Сайт доступний польською, англійською та українською мовами; текст іншою "
        "мовою, ніж мова сторінки, позначено.\n"
        "- Текст можна збільшувати засобами браузера."
    ),
}

# The line of `additional_information` that names the site's languages, as the
# default statement wrote it, and as it reads with Ukrainian.
LANGUAGES_LINE = {
    "pl": (
        "- Strona jest dostępna po polsku i po angielsku; tekst w innym języku niż "
        "strona jest oznaczony.",
        "- Strona jest dostępna po polsku, po angielsku i po ukraińsku; tekst w innym "
        "języku niż strona jest oznaczony.",
    ),
    "en": (
        "- The site is in Polish and in English; text in another language than the "
        "page is marked as such.",
        "- The site is in Polish, English and Ukrainian; text in another language than "
        "the page is marked as such.",
    ),
}


def columns(code):
    """The columns holding the text of `code`: for Polish, the default language,
    django-modeltranslation also keeps it in the field's own column."""
    name = "additional_information"
    return [f"{name}_{code}", name] if code == "pl" else [f"{name}_{code}"]


def replace_line(statement, old, new):
    """`old` replaced by `new` in each language's text that holds it; the names of
    the columns changed."""
    changed = []
    for code, lines in LANGUAGES_LINE.items():
        for column in columns(code):
            current = getattr(statement, column) or ""
            if lines[old] in current:
                setattr(statement, column, current.replace(lines[old], lines[new]))
                changed.append(column)
    return changed


def add_ukrainian_text(apps, schema_editor):
    Statement = apps.get_model("ump_portal", "AccessibilityStatement")
    for statement in Statement.objects.using(schema_editor.connection.alias):
        changed = []
        for field, text in UKRAINIAN_TEXT.items():
            if not getattr(statement, f"{field}_uk"):
                setattr(statement, f"{field}_uk", text)
                changed.append(f"{field}_uk")
        changed += replace_line(statement, 0, 1)
        if changed:
            statement.save(update_fields=changed)


def remove_ukrainian_from_languages_line(apps, schema_editor):
    """Back: the columns of the Ukrainian text go with the previous migration."""
    Statement = apps.get_model("ump_portal", "AccessibilityStatement")
    for statement in Statement.objects.using(schema_editor.connection.alias):
        if changed := replace_line(statement, 1, 0):
            statement.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [
        ("ump_portal", "0005_ukrainian_translations"),
    ]

    operations = [
        migrations.RunPython(add_ukrainian_text, remove_ukrainian_from_languages_line),
    ]
