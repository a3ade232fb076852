"""``python manage.py import_wilayah [PATH] [--root CODE]``: load the Kemendagri region list.

Without PATH it loads the whole country from the copy shipped in ``fixtures/wilayah/``."""

from django.core.management.base import BaseCommand, CommandError

from pkk.wilayah_import import LEVELS, WilayahImportError, import_wilayah


class Command(BaseCommand):
    help = "Impor daftar wilayah Kemendagri (CSV code,name,level). Dengan --root hanya satu wilayah dan induknya."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=None,
            help="Berkas CSV code,name,level (boleh .xz/.gz); tanpa ini: seluruh Indonesia dari fixtures/wilayah",
        )
        parser.add_argument("--root", help="Kode wilayah (mis. 33.06): wilayah ini, induknya dan semua di bawahnya")

    def handle(self, *args, path, root=None, **options):
        try:
            result = import_wilayah(path, root=root)
        except WilayahImportError as exc:
            raise CommandError(
                f"Berkas tidak diimpor, {len(exc.problems)} masalah ditemukan:\n" + "\n".join(exc.problems)
            )
        for level in LEVELS:
            self.stdout.write(
                f"{level.label}: {result.created[level]} baru, {result.updated[level]} diperbarui, "
                f"{result.unchanged[level]} tetap"
            )
        self.stdout.write(self.style.SUCCESS("Impor wilayah selesai."))
