"""Hugging Face Trainer: a tiny Falcon (``FalconConfig``: hidden 64, 2 layers, 4 heads,
multi-query attention, parallel attention/MLP, rotary positions, built from the config, no
download, ``pad_token_id`` set) routes synthetic support tickets to 3 queues (billing, bug
report, account access). A ticket is 10–32 tokens of filler with 1–3 of its queue's 8
keywords, right-padded to 32 (the classifier reads the last non-pad token); 8 % of the tickets
were filed in the wrong queue by the agents. AdamW 1.5e-3, weight decay 0.01, linear decay
with 15 warm-up steps, batch 32, 4 epochs, eval every 25 steps, hidden dropout 0.1. Healthy:
eval accuracy 0.84 → 0.897 → 0.913 (the 8 % label noise caps it near 0.92), eval loss 0.51 →
0.37 and level over the last 50 steps, a noisy train loss (0.15–0.39 in the last epoch)
around it."""
import torch
from transformers import FalconConfig, FalconForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, QUEUES = 150, 32, 0, 3


def tickets(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:QUEUES * 8].view(QUEUES, 8) + 40
    y = torch.randint(0, QUEUES, (n,), generator=g)
    lengths = torch.randint(10, 33, (n,), generator=g)
    ids = torch.randint(1, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]), generator=g)[:k]
        ids[i, pos] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.08
    y = torch.where(flip, (y + torch.randint(1, QUEUES, (n,), generator=g)) % QUEUES, y)
    return ids * mask + PAD * (1 - mask), mask, y


class Tickets(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = FalconConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                          num_attention_heads=4, multi_query=True, parallel_attn=True,
                          max_position_embeddings=LEN, num_labels=QUEUES, pad_token_id=PAD,
                          bos_token_id=1, eos_token_id=1, hidden_dropout=0.1,
                          attention_dropout=0.0)
    return FalconForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = tickets(1500, g)
    train = Tickets(ids[:1200], mask[:1200], y[:1200])
    val = Tickets(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "tickets"), num_train_epochs=4, learning_rate=1.5e-3,
                             weight_decay=0.01, warmup_steps=15, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Falcon support-ticket router, HF Trainer, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
