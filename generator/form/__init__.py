"""The staff web form (Decap CMS): config derived from the schemas, the admin/ folder, the local backend."""
