"""Photos: ingest (decode, EXIF orientation, JPEG re-encode), the photo store, and bulk import matched by capture time."""
