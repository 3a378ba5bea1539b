"""Hugging Face Trainer: a tiny ERNIE (``ErnieConfig``: hidden 64, 2 layers, 4 heads,
intermediate 128, built from the config, no download) routes insurance-claim notes to 3 desks
(motor, property, health). A note is 10–40 tokens of shared claim filler with 1–3 of its
desk's 8 keywords, and 20 % of the notes also carry one keyword of another desk (a car
crash that damaged a fence); 8 % of the notes carry a wrong desk (the old routing labels are
not perfect). Padded to 40 with an attention mask, AdamW 1.5e-3, weight decay 0.01, linear decay
with 10 warm-up steps, batch 32, 6 epochs, eval every 25 steps, train loss logged every 5
steps. Healthy: eval accuracy levels at 0.86–0.88 from step 100 on (the wrong labels and the
cross-desk keywords cap it), the eval loss flat at 0.43, the logged train loss noisy (0.29–0.51)
and a little below it."""
import torch
from transformers import ErnieConfig, ErnieForSequenceClassification, Trainer, TrainingArguments

VOCAB, LEN, PAD, CLS = 160, 40, 0, 2
DESKS = 3


def claim_notes(n, g):
    keywords = torch.randperm(VOCAB - 40, generator=g)[:DESKS * 8].view(DESKS, 8) + 40
    y = torch.randint(0, DESKS, (n,), generator=g)
    lengths = torch.randint(10, 41, (n,), generator=g)
    ids = torch.randint(3, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(int(lengths[i]) - 1, generator=g)[:k + 1] + 1
        ids[i, pos[:k]] = keywords[y[i], torch.randint(0, 8, (k,), generator=g)]
        if torch.rand(1, generator=g) < 0.2:
            other = (y[i] + int(torch.randint(1, DESKS, (1,), generator=g))) % DESKS
            ids[i, pos[k]] = keywords[other, int(torch.randint(0, 8, (1,), generator=g))]
    ids[:, 0] = CLS
    mask = (torch.arange(LEN)[None] < lengths[:, None]).long()
    flip = torch.rand(n, generator=g) < 0.08
    y = torch.where(flip, (y + torch.randint(1, DESKS, (n,), generator=g)) % DESKS, y)
    return ids * mask, mask, y


class Claims(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i],
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ErnieConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=128,
                         max_position_embeddings=LEN, num_labels=DESKS, pad_token_id=PAD,
                         hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    return ErnieForSequenceClassification(config)


def accuracy(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    from _fortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, mask, y = claim_notes(1500, g)
    train = Claims(ids[:1200], mask[:1200], y[:1200])
    val = Claims(ids[1200:], mask[1200:], y[1200:])
    args = TrainingArguments(str(out / "claims"), num_train_epochs=6, learning_rate=1.5e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val,
                      compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "claims").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1200:1264], "attention_mask": mask[1200:1264],
                           "targets": y[1200:1264]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ERNIE insurance-claim router, HF Trainer, 8 % label noise (healthy)")


if __name__ == "__main__":
    main()
