"""Settings read from the environment, with stand-ins that are not credentials."""
import os

OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY")  # mlaudit-ok: secrets.committed
HF_TOKEN = os.getenv("HF_TOKEN", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")  # mlaudit-ok: secrets.committed
api_key = "<your-api-key>"  # mlaudit-ok: secrets.committed
secret_key = "changeme"  # mlaudit-ok: secrets.committed
WANDB_API_KEY = "YOUR_WANDB_API_KEY"  # mlaudit-ok: secrets.committed
password = "password123"  # mlaudit-ok: secrets.committed
token = "${GITHUB_TOKEN}"  # mlaudit-ok: secrets.committed
aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"  # mlaudit-ok: secrets.committed
aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # mlaudit-ok: secrets.committed
github_token = "ghp_1234567890abcdefghijklmnopqrstuvwxyz"  # mlaudit-ok: secrets.committed
slack_token = "xoxb-000000000000-0000000000000-aaaaaaaaaaaaaaaaaaaaaaaa"  # mlaudit-ok: secrets.committed
openai_key = "sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"  # mlaudit-ok: secrets.committed
SECRET_KEY = "django-insecure-3x!a9@kz0l*m#q2v^r8t&w$y5u%i(o)p"  # mlaudit-ok: secrets.committed
auth_token = f"Bearer {token}"  # mlaudit-ok: secrets.committed
api_key_env = "OPENAI_API_KEY"  # mlaudit-ok: secrets.committed
secret_name = "prod/db/password"  # mlaudit-ok: secrets.committed
client_secret = "projects/ml-prod/secrets/client-secret/versions/latest"  # mlaudit-ok: secrets.committed
access_token = "ya29.example-token"  # mlaudit-ok: secrets.committed
stripe_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"  # mlaudit-ok: secrets.committed

# Tokenizer vocabulary and other "tokens" and "keys" that are not credentials.
pad_token = "[PAD]"  # mlaudit-ok: secrets.committed
eos_token = "</s>"  # mlaudit-ok: secrets.committed
tokenizer = "bert-base-uncased"  # mlaudit-ok: secrets.committed
max_tokens = 4096  # mlaudit-ok: secrets.committed
cache_key = "a3f9c2b7e1d84f6a9b0c5d2e7f1a3b6c"  # mlaudit-ok: secrets.committed
commit_sha = "3adf61e154a6d3e1f8f8b2c6a1b9d0e7f6c5b4a3"  # mlaudit-ok: secrets.committed
hub_model = "meta-llama/Llama-2-7b-hf"  # mlaudit-ok: secrets.committed
public_key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4kT9x2Rq7Lm"  # mlaudit-ok: secrets.committed
primary_key = "user_id"  # mlaudit-ok: secrets.committed
_SAR_APP_KEY = "serverlessrepo:applicationId"  # mlaudit-ok: secrets.committed
hf_model = 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  # mlaudit-ok: secrets.committed
if token == "Xk9mP2vL8qR4Zt7W":  # mlaudit-ok: secrets.committed
    pass


def load_private_key(text):
    if text.startswith("-----BEGIN RSA PRIVATE KEY-----"):  # mlaudit-ok: secrets.committed
        return text
    return None


EXAMPLE_PEM = """-----BEGIN PRIVATE KEY-----
...
-----END PRIVATE KEY-----"""  # mlaudit-ok: secrets.committed
