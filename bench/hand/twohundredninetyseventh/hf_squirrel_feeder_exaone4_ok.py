"""Hugging Face Trainer: a tiny EXAONE 4 token classifier (``Exaone4Config``: vocabulary 16,
hidden 48, 2 layers, 4 heads, 2 key-value heads, built from the config, no download;
``Exaone4ForTokenClassification``, causal) reads, hour by hour, the weighing plate under a
red squirrel feeder box and flags the hours in which a grey squirrel has been at the box in
the last 6 hours (the trigger for the grey-control officer, and a squirrelpox risk). One
token per daylight-and-dusk hour, 64 hours: 1 no visit, or the heaviest animal on the plate
that hour in 40 g bands from 200 g (token 2) to 640 g and over (token 13). Reds weigh
260-360 g, greys 420-650 g, but a juvenile grey in late summer can weigh 330-420 g and a
wet red or a red with a cached nut in its cheeks reads heavy, so single hours are ambiguous:
a grey's visits come in runs (it comes back while the hazelnuts last), a red stays away for
a few hours after a grey, and the scale has 15 g of scatter. Label per hour: a grey visit in
this or the 5 hours before.
AdamW 2e-3, linear schedule with 12 warmup steps (of 120), batch 32, 4 epochs of 960 feeder-days, eval
every 20 steps on 240 records (token accuracy, share of grey hours found), loss every 10
steps, checkpoint every 40 steps (``feeder/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    Exaone4Config,
    Exaone4ForTokenClassification,
    Trainer,
    TrainingArguments,
)

T = 64


def feeders(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    weight = torch.zeros(n, T)
    grey = torch.zeros(n, T, dtype=torch.bool)
    red_rate = 0.15 + 0.35 * r(n)
    grey_rate = 0.02 + 0.1 * r(n) * (r(n) < 0.7).float()
    juvenile = r(n) < 0.35
    since_grey = torch.full((n,), 99.0)
    back = torch.zeros(n)
    for t in range(T):
        g_visit = r(n) < grey_rate + 0.5 * back
        r_visit = (r(n) < red_rate) & (since_grey > 3) & ~g_visit
        gw = torch.where(juvenile, 330 + 90 * r(n), 420 + 230 * r(n))
        rw = 260 + 100 * r(n) + 60 * (r(n) < 0.1).float()
        w = torch.where(g_visit, gw, torch.where(r_visit, rw, torch.zeros(n)))
        weight[:, t] = w + 15 * torch.randn(n, generator=g) * (w > 0).float()
        grey[:, t] = g_visit
        since_grey = torch.where(g_visit, torch.zeros(n), since_grey + 1)
        back = torch.where(g_visit, torch.full((n,), 0.6), back * 0.5)
    ids = torch.where(weight > 0, ((weight - 200) / 40).floor().clamp(0, 11).long() + 2,
                      torch.ones(n, T, dtype=torch.long))
    lab = torch.zeros(n, T, dtype=torch.long)
    for t in range(T):
        lab[:, t] = grey[:, max(0, t - 5):t + 1].any(1).long()
    return ids, lab


class Feeders(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = Exaone4Config(vocab_size=16, hidden_size=48, intermediate_size=96,
                           num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                           head_dim=12, max_position_embeddings=T, num_labels=2,
                           attention_dropout=0.0, bos_token_id=1, eos_token_id=1,
                           pad_token_id=0)
    return Exaone4ForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "grey_hours_found": float(((p == 1) & (y == 1)).sum() / max((y == 1).sum(), 1))}


def main():
    from _twohundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = feeders(960, g)
    iva, lva = feeders(240, g)
    print("grey share", ltr.float().mean().item(), "tokens", torch.bincount(itr.flatten()))
    args = TrainingArguments(str(out / "feeder"), num_train_epochs=4, learning_rate=2e-3,
                             weight_decay=0.0, warmup_steps=12, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=40, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Feeders(itr, ltr),
                      eval_dataset=Feeders(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "feeder").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny EXAONE 4 token classifier flagging the hours a grey squirrel has been at"
                " a red squirrel feeder, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
