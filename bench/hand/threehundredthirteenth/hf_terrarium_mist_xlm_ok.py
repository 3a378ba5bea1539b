"""Hugging Face Trainer: a tiny XLM token classifier (``XLMConfig``: vocabulary 12, 48 wide,
2 layers, 4 heads, bidirectional (``causal=False``), one language and no language
embedding, built from the config, no download; ``XLMForTokenClassification``) reads a day
of a rainforest terrarium's hygrometer log and marks the hours at which the automatic
mister should have fired an extra session. Each hour is one token:
relative humidity in 4 bands (< 60 %, 60-75 %, 75-90 %, > 90 %) × lights on or off,
tokens 2-9, behind a token 1 that starts the day. The humidity decays between mistings
(faster under the lights, which dry the air), jumps after each scheduled mist and drifts
at random. Extra mist at an hour: humidity below 60 % in this hour and the one before
while the lights are on (frogs dry out under the lamps), or below 60 % for a third hour in
a row in the dark. Days of 24 hours; the day-start token is not scored (label -100).
AdamW 3e-3 with linear decay and 20 warmup steps, weight decay 0.01, batch 24, 4 epochs
of 960 days, eval every 20 steps on 240 days (hour accuracy, share of extra-mist hours
found),
loss every 10 steps, checkpoint every 40 steps (``mister/checkpoint-N/`` with
``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XLMConfig, XLMForTokenClassification

T = 24


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    on_at = (6 + 4 * r(n)).long()
    hours = torch.arange(T)
    light = ((hours >= on_at[:, None]) & (hours < on_at[:, None] + 12)).long()
    mists = r(n, T) < 0.12 + 0.1 * r(n, 1)
    rh = torch.zeros(n, T)
    cur = 70 + 25 * r(n)
    for k in range(T):
        cur = cur - (3 + 4 * light[:, k]) * (0.6 + 0.8 * r(n)) + 4 * torch.randn(n, generator=g)
        cur = torch.where(mists[:, k], cur + 25 + 10 * r(n), cur).clamp(35, 99)
        rh[:, k] = cur
    band = torch.bucketize(rh, torch.tensor([60.0, 75.0, 90.0]))
    low = (band == 0).long()
    run = torch.zeros(n, dtype=torch.long)
    y = torch.full((n, T + 1), -100, dtype=torch.long)
    for k in range(T):
        run = (run + 1) * low[:, k]
        y[:, k + 1] = (((run >= 2) & (light[:, k] == 1)) | (run >= 3)).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), 2 + band * 2 + light], 1)
    return ids, y


class Days(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XLMConfig(vocab_size=12, emb_dim=48, n_layers=2, n_heads=4, max_position_embeddings=T + 4,
                       num_labels=2, dropout=0.0, attention_dropout=0.0, causal=False, n_langs=1,
                       use_lang_emb=False, pad_index=0)
    return XLMForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    keep = y != -100
    return {"hour_accuracy": float((p == y)[keep].mean()),
            "extra_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _threehundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = days(960, g)
    iva, yva = days(240, g)
    print("extra share", (ytr == 1).sum().item() / (ytr >= 0).sum().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "mister"), num_train_epochs=4, learning_rate=3e-3,
                             warmup_steps=20, lr_scheduler_type="linear", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Days(itr, ytr),
                      eval_dataset=Days(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "mister").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLM token classifier marking the hours of a rainforest terrarium's"
                " hygrometer log at which the mister should have fired an extra session,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
