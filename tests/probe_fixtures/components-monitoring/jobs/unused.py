import alibi_detect  # imported for later, never called  # mlaudit-ok: monitoring.present
from nannyml import CBPE  # mlaudit-ok: monitoring.present
