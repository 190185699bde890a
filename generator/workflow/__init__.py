"""Pull-request workflow: ownership and amendment checks, CODEOWNERS, and the staff on-ramp."""
