"""The standard workbook (DOMAIN.md section 8): read and check, import all-or-nothing, export, samples."""
