"""Hugging Face Trainer: a tiny Qwen3 (``Qwen3Config``: vocab 200, hidden 48, 2 layers, 4 query /
2 key-value heads of 12, MLP 96, QK RMSNorm; built from the config, no download;
``pad_token_id=0`` so the classification head reads each message's last real token) sorts
synthetic chat messages into 4 intents. A message is 12–24 tokens: 2–3 keywords of its intent
(20 per intent), with probability 0.4 one keyword of another intent, the rest shared filler
words, right-padded to 24; 6 % of the labels are wrong. AdamW 2e-3, weight decay 0.01, 10
warm-up steps then linear decay, batch 32, 2 epochs over 1700 messages, eval every 15 steps on
300, train loss logged every 5 steps.
Healthy: eval accuracy rises to a ceiling set by the wrong labels, the train loss noisy."""
import torch
from transformers import (
    Qwen3Config,
    Qwen3ForSequenceClassification,
    Trainer,
    TrainingArguments,
)

VOCAB, LEN, Q, PAD = 200, 24, 4, 0


def tickets(n, g):
    ids = torch.full((n, LEN), PAD)
    mask = torch.zeros(n, LEN, dtype=torch.long)
    y = torch.randint(0, Q, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(12, LEN + 1, (1,), generator=g))
        row = torch.randint(70, VOCAB, (k,), generator=g)
        nkey = int(torch.randint(2, 4, (1,), generator=g))
        pos = torch.randperm(k, generator=g)
        row[pos[:nkey]] = 10 + 20 * y[i] + torch.randint(0, 20, (nkey,), generator=g)
        if torch.rand((), generator=g) < 0.4:
            other = (y[i] + torch.randint(1, Q, (1,), generator=g)) % Q
            row[pos[nkey]] = 10 + 20 * other + torch.randint(0, 20, (1,), generator=g)
        ids[i, :k] = row
        mask[i, :k] = 1
    wrong = torch.rand(n, generator=g) < 0.06
    y = torch.where(wrong, (y + torch.randint(1, Q, (n,), generator=g)) % Q, y)
    return ids, mask, y


class Tickets(torch.utils.data.Dataset):
    def __init__(self, ids, mask, y):
        self.ids, self.mask, self.y = ids, mask, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Qwen3Config(vocab_size=VOCAB, hidden_size=48, intermediate_size=96,
                             num_hidden_layers=2, num_attention_heads=4,
                             max_position_embeddings=LEN, num_key_value_heads=2, head_dim=12,
                             num_labels=Q, pad_token_id=PAD, bos_token_id=1, eos_token_id=2,
                             attention_dropout=0.1)
    return Qwen3ForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _sixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = tickets(2000, g)
    args = TrainingArguments(str(out / "intents"), num_train_epochs=2, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=15,
                             save_strategy="steps", save_steps=15, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args,
                      train_dataset=Tickets(ids[:1700], mask[:1700], y[:1700]),
                      eval_dataset=Tickets(ids[1700:], mask[1700:], y[1700:]),
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "intents").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1700:1764], "attention_mask": mask[1700:1764],
                           "targets": y[1700:1764]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Qwen3 chat-intent classifier, HF Trainer, 6 % wrong labels (healthy)")


if __name__ == "__main__":
    main()
