"""Hugging Face Trainer: a tiny Nemotron token classifier (``NemotronConfig``: vocabulary 46,
48 wide, 2 layers, 4 heads, built from the config, no download;
``NemotronForTokenClassification``, causal attention, so each reading is labelled from the
readings up to it) tags each reading of a dye-house's bath thermometer log with the phase of
the dyeing program it belongs to, so the cost and quality reports can be cut by phase
without the operator's notes: loading (the bath near its set start temperature while the wool
goes in), ramp (heating at 0.8-2 °C/min), hold (at the dyeing temperature, 85-98 °C, 30-60
min), cooling (1-2 °C/min down to 60-70 °C) and rinse (the bath dropped and refilled cold,
20-35 °C). 48 readings, one every 2.5 min; each reading one token, the temperature in 2 °C
bins from 18 to 102 °C (tokens 4-45; 0 pad, 1 start); the phase is what the program
controller was doing at that minute, the thermometer lagging and noisy (0.7 °C), the steam
valve overshooting a little at the top of the ramp.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 5 epochs of 1024
logs, eval every 32 steps (each epoch) on 256 logs (per-reading accuracy and the share of logs
tagged without a single error), loss every 8 steps, checkpoint every 32 steps
(``bathlog/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import NemotronConfig, NemotronForTokenClassification, Trainer, TrainingArguments

T = 47
PHASES = ["loading", "ramp", "hold", "cooling", "rinse"]


def bath_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = 2.5 * torch.arange(T).float().unsqueeze(0).expand(n, T)
    start = 35 + 15 * r(n, 1)
    top = 85 + 13 * r(n, 1)
    load_end = 5 + 10 * r(n, 1)
    rate = 0.8 + 1.2 * r(n, 1)
    ramp_end = load_end + (top - start) / rate
    hold_end = ramp_end + 30 + 30 * r(n, 1)
    cool_to = 60 + 10 * r(n, 1)
    cool_rate = 1 + r(n, 1)
    cool_end = hold_end + (top - cool_to) / cool_rate
    rinse = 20 + 15 * r(n, 1)
    temp = torch.where(t < load_end, start,
           torch.where(t < ramp_end, start + rate * (t - load_end),
           torch.where(t < hold_end, top + 1.5 * torch.exp(-(t - ramp_end) / 4),
           torch.where(t < cool_end, top - cool_rate * (t - hold_end), rinse))))
    phase = ((t >= load_end).long() + (t >= ramp_end).long() + (t >= hold_end).long()
             + (t >= cool_end).long())
    lagged = temp.clone()
    for i in range(1, T):
        lagged[:, i] = lagged[:, i - 1] + 0.6 * (temp[:, i] - lagged[:, i - 1])
    lagged = lagged + 0.7 * torch.randn(n, T, generator=g)
    tok = 4 + ((lagged - 18) / 2).floor().clamp(0, 41).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    labels = torch.cat([torch.full((n, 1), -100), phase], 1)
    return ids, labels


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NemotronConfig(vocab_size=46, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                            max_position_embeddings=T + 8, num_labels=len(PHASES),
                            id2label=dict(enumerate(PHASES)), pad_token_id=0, bos_token_id=1,
                            eos_token_id=2)
    return NemotronForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"reading_acc": float((p[m] == y[m]).mean()),
            "log_all_right": float(((p == y) | ~m).all(1).mean())}


def main():
    from _threehundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = bath_logs(1024, g)
    iva, lva = bath_logs(256, g)
    print("phase shares", torch.bincount(ltr[ltr >= 0], minlength=5).tolist())
    args = TrainingArguments(str(out / "bathlog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=32, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, ltr),
                      eval_dataset=Logs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "bathlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nemotron token classifier tagging each reading of a dye bath's"
                " thermometer log with its program phase, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
