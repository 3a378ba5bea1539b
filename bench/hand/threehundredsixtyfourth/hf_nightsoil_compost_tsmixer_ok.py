"""Hugging Face Trainer: a tiny PatchTSMixer classifier (``PatchTSMixerConfig``: 84 steps in
patches of 6, 3 channels, 32 wide, 2 mixer layers, built from the config, no download;
``PatchTSMixerForTimeSeriesClassification``) reads the 21-day log of a nightsoil composting
pile (one reading every 6 h: core temperature, edge temperature, air temperature, °C) and
says whether the batch meets the pathogen rule before the compost may go onto the fields:
"met" (the core held 55 °C or more for 72 h in a row), "short" (it reached 55 °C but never
for 72 h in a row) or "cold" (it never reached 55 °C). A pile heats up over 1-4 days to a
peak of 42-72 °C set by its carbon / nitrogen mix and moisture, holds it for 1-8 days and
cools; every 4-7 days it is turned, which drops the core 8-15 °C for about 12 h before it
heats again (a turn can break a 72 h run). The edge runs cooler, between core and air; the
air has a daily cycle. The label is the rule applied to the true core curve; the log has
probe noise (0.7 °C).
Input: (84, 3) as (°C - 40) / 15 (the config's own scaling is off, the 55 °C level matters).
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 8 epochs of
800 piles, eval every 25 steps (each epoch) on 200 piles (accuracy and "met" precision:
a pile called safe that is not is the costly mistake), loss every 5 steps, checkpoint every
25 steps (``piles/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import (
    PatchTSMixerConfig,
    PatchTSMixerForTimeSeriesClassification,
    Trainer,
    TrainingArguments,
)

T = 84  # 21 days, every 6 h
RULES = ["met", "short", "cold"]


def piles(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() * 0.25  # days
    x = torch.empty(n, T, 3)
    y = torch.empty(n, dtype=torch.long)
    for k in range(n):
        air0 = 8 + 14 * r(1).item()
        air = air0 + 5 * torch.sin(2 * math.pi * (t - 0.3))
        peak = 42 + 30 * r(1).item()
        rise, hold = 1 + 3 * r(1).item(), 1 + 7 * r(1).item()
        up = 1 / (1 + torch.exp(-(t - rise / 2) * 8 / rise))
        down = torch.where(t > rise + hold, torch.exp(-(t - rise - hold) / 5), torch.ones(T))
        core = air0 + (peak - air0) * up * down
        day = 1 + 2 * r(1).item()
        every = 4 + 3 * r(1).item()
        while day < 21:
            drop = 8 + 7 * r(1).item()
            core = core - drop * torch.where(t >= day, torch.exp(-(t - day) / 0.5), torch.zeros(T))
            day += every
        hot = (core >= 55).long()
        run, best = 0, 0
        for h in hot.tolist():
            run = run + 1 if h else 0
            best = max(best, run)
        y[k] = 0 if best >= 12 else (1 if hot.any() else 2)
        edge = air + (core - air) * (0.45 + 0.2 * r(1).item())
        x[k] = torch.stack([core, edge, air], 1)
    x = x + 0.7 * torch.randn(n, T, 3, generator=g)
    return (x - 40) / 15, y  # the model sees (°C - 40) / 15


class Logs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"past_values": self.x[i], "target_values": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PatchTSMixerConfig(context_length=T, patch_length=6, patch_stride=6,
                                num_input_channels=3, d_model=32, num_layers=2, num_targets=3,
                                dropout=0.0, head_dropout=0.0, mode="mix_channel",
                                scaling=None)
    return PatchTSMixerForTimeSeriesClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    called = p == 0
    return {"acc": float((p == y).mean()),
            "met_precision": float((y[called] == 0).mean()) if called.any() else 0.0}


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = piles(800, g)
    xva, yva = piles(200, g)
    print("rules", torch.bincount(ytr).tolist(), torch.bincount(yva).tolist())
    args = TrainingArguments(str(out / "piles"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=5, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             label_names=["target_values"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(xtr, ytr),
                      eval_dataset=Logs(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "piles").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PatchTSMixer classifier reading a nightsoil compost pile's temperature log"
                " for the 55 °C / 72 h pathogen rule, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
