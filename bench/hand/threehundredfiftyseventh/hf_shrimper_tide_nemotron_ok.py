"""Hugging Face Trainer: a tiny Nemotron causal model (``NemotronConfig``: vocabulary 27, 48
wide, 2 layers, 4 heads with 2 key/value heads, built from the config, no download;
``NemotronForCausalLM``) reads a shrimper's tide log at the harbour bar and predicts the
next hourly reading, so the boat knows when there is water over the bar to go out and come
back in. 36 hourly heights (m above chart datum) per log: the sum of the main tidal
constituents, M2 (12.42 h, 1.2-2.2 m amplitude), S2 (12.00 h, 0.3-0.8 m), K1 (23.93 h,
0.05-0.3 m) and O1 (25.82 h, 0.05-0.2 m) with a phase per log, a mean level of 2.4-3.0 m,
a surge of ±0.3 m drifting slowly over the log, and gauge noise of 3 cm. Each reading is
one token: the height binned in 0.25 m steps from -0.5 to 5.5 m (24 bins, tokens 3-26; 0 pad,
1 start, 2 end). Next-token cross-entropy over the log.
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.01, batch 24, 5
epochs of 960 logs (200 steps), eval every 40 steps (each epoch) on 240 logs
(next-reading accuracy and share within one bin), loss every 10 steps, checkpoint every
40 steps, the last 2 kept (``tidegauge/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import NemotronConfig, NemotronForCausalLM, Trainer, TrainingArguments

T = 36
BINS = 24


def tide_logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float().unsqueeze(0) + 200 * r(n, 1)
    h = 2.4 + 0.6 * r(n, 1)
    for period, lo, hi in ((12.42, 1.2, 2.2), (12.00, 0.3, 0.8), (23.93, 0.05, 0.3),
                           (25.82, 0.05, 0.2)):
        amp = lo + (hi - lo) * r(n, 1)
        h = h + amp * torch.cos(2 * math.pi * t / period + 2 * math.pi * r(n, 1))
    surge = 0.3 * (2 * r(n, 1) - 1) + 0.1 * (2 * r(n, 1) - 1) * torch.linspace(-1, 1, T)
    h = h + surge + 0.03 * torch.randn(n, T, generator=g)
    tok = 3 + ((h + 0.5) / 0.25).floor().clamp(0, BINS - 1).long()
    return torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = NemotronConfig(vocab_size=3 + BINS, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                            max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                            eos_token_id=2)
    return NemotronForCausalLM(config)


def argmax_logits(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p = pred.predictions[:, :-1]
    y = pred.label_ids[:, 1:]
    return {"next_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _threehundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = tide_logs(960, g)
    iva = tide_logs(240, g)
    print("token range", itr[:, 1:].min().item(), itr.max().item())
    args = TrainingArguments(str(out / "tidegauge"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr),
                      eval_dataset=Logs(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_logits)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tidegauge").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nemotron causal model predicting the next hourly reading of a harbour"
                " tide log for a shrimp boat, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
