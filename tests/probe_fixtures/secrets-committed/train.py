"""Training script with credentials pasted in, next to the right way of reading them."""
import os

import wandb
from huggingface_hub import login
from openai import OpenAI

HF_TOKEN = "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"  # mlaudit-expect: secrets.committed
login(token=os.environ["HF_TOKEN"])  # mlaudit-ok: secrets.committed
# mlaudit-expect: secrets.committed
wandb.login(key="e46d1bde34acab6adda6d761708ad3a77eb46bf4")
DB_PASSWORD = "HXRQ7vqQAimwat"  # mlaudit-expect: secrets.committed
client = OpenAI(
    # mlaudit-expect: secrets.committed
    api_key="sk-proj-4ESDkzKE7H931zjMMJrGm-BzXwCOTfWjpDhqAlwE_vulqndn",
)
SLACK_BOT = "xoxb-246325701503-8603978780650-GvJ584qQUkoMg0Y2Be94ilb3"  # mlaudit-expect: secrets.committed
# Each credential counts once: the secret key below is reported with its key id.
# mlaudit-expect: secrets.committed
aws_access_key_id = "AKIAVTQ5KX315UKCHHX1"
aws_secret_access_key = "xmg3dIDpOrBn3nI3uDapzW05wFLJT5oZYKODETD1"  # mlaudit-ok: secrets.committed
payments = "sk_live_rIaD65pxCdjnveLXhDfYUfoa"  # mlaudit-expect: secrets.committed
# A domain named example.com does not make the key on its line an example.
# mlaudit-expect: secrets.committed
proxy = OpenAI(api_key="sk-JlISuahrbldgO2NRNUnLnPmDlEurUDOC1TZ0nzL3C3AMSi4n", base_url="https://llm.example.com/v1")

# mlaudit-expect: secrets.committed
DEPLOY_KEY = """-----BEGIN OPENSSH PRIVATE KEY-----
ku7AzD80k1XIsFUzt9cqJ0E3ZuXW4pIHsPpUkS/pyqr6nZ704+POEwC0d6UfNuJD
C37Sl6MRcz8AK42ks91MIRltyke/BuukGZtPNPR+x4EX5kfe1KvAfnrAkxpnRcnD
6y9zbNTXJdj5VO0z6tlKpuCUFYvTBqXjxFdMoF/R1BghJBO5BbDkE/G9wVge50O3
-----END OPENSSH PRIVATE KEY-----"""
