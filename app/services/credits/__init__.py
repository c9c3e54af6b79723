"""Credits: finding, sorting, totalling, describing and exporting them."""
