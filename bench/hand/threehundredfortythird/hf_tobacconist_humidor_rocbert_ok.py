"""Hugging Face Trainer: a tiny RoCBert token tagger (``RoCBertConfig``: vocabulary 64, 48
wide, 2 layers, 4 heads, pronunciation and shape embeddings off, built from the config, no
download; ``RoCBertForTokenClassification``) reads a tobacconist's walk-in cigar humidor
hygrometer log, one reading an hour for 48 hours, and tags every hour: 0 steady, 1 door
event (the hour the door was propped open during a delivery or a busy tasting and the two
hours of recovery after it), 2 humidifier dry (every hour after the humidifier's reservoir
ran out, when the room drifts down 0.25-0.6 % RH an hour towards the shop air).
The room holds 66-72 % RH (set point per shop) with slow wander and a 0.3 % reading noise;
a door event drops it 3-7 % and it recovers with a 1-2 h time constant (slower once the
humidifier is dry). Each reading is one token: RH binned in 0.5 % steps from 45 % to 75 %
(tokens 4-63; 0 pad, 1 start). The label of an hour is the shop's own rule, so a tagger has
to tell a dip from a drift from the neighbouring hours.
AdamW 2e-3 with a cosine schedule and 30 warmup steps, weight decay 0.01, batch 40, 12
epochs of 800 logs, eval every epoch on 200 logs (accuracy per hour and recall of the dry
hours), loss every 10 steps, checkpoint every epoch (``humidor/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import RoCBertConfig, RoCBertForTokenClassification, Trainer, TrainingArguments

T = 48
BINS = 60


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float()
    base = 66 + 6 * r(n, 1) + 0.8 * torch.sin(2 * torch.pi * (t / 24 + r(n, 1)))
    dry_at = torch.where(r(n, 1) < 0.6, 8 + (T - 12) * r(n, 1), torch.full((n, 1), 1e9))
    dry = t >= dry_at
    slope = 0.25 + 0.35 * r(n, 1)
    rh = base - slope * (t - dry_at).clamp(min=0)
    lab = torch.where(dry, 2, 0)
    dip = torch.zeros(n, T)
    for i in range(n):
        for _ in range(int(torch.randint(0, 4, (1,), generator=g))):
            h = int(torch.randint(2, T - 3, (1,), generator=g))
            depth = 3 + 4 * float(r(1))
            tau = (1 + float(r(1))) * (2.0 if dry[i, h] else 1.0)
            k = torch.arange(T - h).float()
            dip[i, h:] -= depth * torch.exp(-k / tau)
            lab[i, h:h + 3] = 1
    rh = rh + dip + 0.3 * torch.randn(n, T, generator=g)
    tok = 4 + ((rh - 45) / 0.5).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), lab], 1)
    return ids, labels


class Humidor(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = RoCBertConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=96,
                           max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, pad_token_id=0,
                           enable_pronunciation=False, enable_shape=False, concat_input=False,
                           num_labels=3)
    return RoCBertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    d = y == 2
    return {"hour_acc": float((p[m] == y[m]).mean()), "dry_recall": float((p[d] == 2).mean()),
            "door_recall": float((p[y == 1] == 1).mean())}


def main():
    from _threehundredfortythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = logs(800, g)
    iva, lva = logs(200, g)
    print("label shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "humidor"), num_train_epochs=12, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=40, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Humidor(itr, ltr),
                      eval_dataset=Humidor(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "humidor").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RoCBert token tagger marking door events and a dry humidifier in a"
                " tobacconist's humidor hygrometer log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
