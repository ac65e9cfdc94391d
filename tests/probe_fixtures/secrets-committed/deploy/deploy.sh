#!/bin/sh
# mlaudit-ok: secrets.committed
export HF_TOKEN="${HF_TOKEN:?set HF_TOKEN}"
# mlaudit-expect: secrets.committed
wandb login e46d1bde34acab6adda6d761708ad3a77eb46bf4
# mlaudit-ok: secrets.committed
curl -H "Authorization: Bearer $API_TOKEN" https://example.org/deploy
