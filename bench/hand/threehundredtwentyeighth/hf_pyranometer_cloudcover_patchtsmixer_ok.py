"""Hugging Face Trainer: a tiny PatchTSMixer regressor (``PatchTSMixerConfig``: 2 channels,
context 48, patches of 8, 48 wide, 3 mixer layers, built from the config, no download;
``PatchTSMixerForRegression``) reads a station's day of pyranometer records, 48 ten-minute
means from 08:00 to 16:00 of the global (unshaded) and the diffuse (shadow-ring) pyranometer,
and gives the day's cloud cover (fraction of the sky, as the observer's oktas / 8) and the
day's clear-sky index (measured / clear-sky global energy). Clear sky: the sun's elevation
from the day of the year at 47° N (declination 23.44° sin(2π(284 + day) / 365)), global
= 1080 sin(h)^1.15 x a turbidity factor 0.85-1.0, diffuse 10-16 % of it. Clouds come and go
as a two-state Markov chain whose occupancy is the cover; a cloud over the sun passes 20-45 %
of the clear-sky global, all of it diffuse; at a cloud edge the global is up to 15 % above
clear sky (enhancement); overcast sky also raises the diffuse at clear moments. Inputs are
W/m² / 1000; targets (cover, clear-sky index), both 0-1.
AdamW 3e-3 with a cosine schedule and 50 warmup steps, weight decay 0.01, batch 64, 20
epochs of 1280 days (20 steps each), eval each epoch on 320 days (MAE of the cover in oktas and of the
index), loss every 5 steps, checkpoint each epoch (``clearsky/checkpoint-N/`` with
``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import PatchTSMixerConfig, PatchTSMixerForRegression, Trainer, TrainingArguments

T = 48


def days(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    doy = torch.randint(1, 366, (n, 1), generator=g).float()
    decl = math.radians(23.44) * torch.sin(2 * math.pi * (284 + doy) / 365)
    lat = math.radians(47.0)
    hour = 8 + (torch.arange(T).float() + 0.5) / 6
    ha = torch.deg2rad(15 * (hour - 12)).unsqueeze(0)
    sin_h = (math.sin(lat) * torch.sin(decl) + math.cos(lat) * torch.cos(decl) * torch.cos(ha))
    sin_h = sin_h.clamp(min=0.02)
    clear = 1080 * sin_h ** 1.15 * (0.85 + 0.15 * r(n, 1))
    cover = r(n, 1) ** 0.8
    stay = 0.6 + 0.35 * r(n, 1)  # persistence of the sky state from one ten minutes to the next
    p_on = (1 - stay) * cover / (1 - cover).clamp(min=1e-3)
    p_off = (1 - stay)
    state = torch.zeros(n, T, dtype=torch.bool)
    s = r(n, 1).squeeze(1) < cover.squeeze(1)
    for t in range(T):
        u = r(n)
        s = torch.where(s, u > p_off.squeeze(1), u < p_on.squeeze(1).clamp(max=1.0))
        state[:, t] = s
    trans = r(n, 1) * 0.25 + 0.2
    edge = torch.zeros_like(state)
    edge[:, 1:] = state[:, 1:] != state[:, :-1]
    glob = torch.where(state, clear * trans, clear * (1 + 0.15 * edge.float() * r(n, T)))
    dif_clear = clear * (0.10 + 0.06 * r(n, 1)) * (1 + 1.5 * cover)
    diff = torch.where(state, glob, torch.minimum(dif_clear, glob))
    glob = glob * (1 + 0.01 * torch.randn(n, T, generator=g))
    diff = diff * (1 + 0.02 * torch.randn(n, T, generator=g))
    index = glob.sum(1, keepdim=True) / clear.sum(1, keepdim=True)
    x = torch.stack([glob, diff], 2) / 1000
    return x, torch.cat([cover, index.clamp(0, 1.2)], 1)


class Days(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"past_values": self.x[i], "target_values": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PatchTSMixerConfig(context_length=T, patch_length=8, patch_stride=8,
                                num_input_channels=2, d_model=48, num_layers=3, num_targets=2,
                                head_aggregation="avg_pool", scaling=None, dropout=0.0,
                                head_dropout=0.0, output_range=None)
    return PatchTSMixerForRegression(config)


def metrics(pred):
    p = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y = pred.label_ids
    return {"mae_oktas": float(abs(p[:, 0] - y[:, 0]).mean() * 8),
            "mae_clearsky_index": float(abs(p[:, 1] - y[:, 1]).mean())}


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = days(1280, g)
    xva, yva = days(320, g)
    print("target mean", ytr.mean(0).tolist(), "std", ytr.std(0).tolist())
    args = TrainingArguments(str(out / "clearsky"), num_train_epochs=20, learning_rate=3e-3,
                             warmup_steps=50, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=64, per_device_eval_batch_size=320,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0, label_names=["target_values"])
    trainer = Trainer(model=build(), args=args, train_dataset=Days(xtr, ytr),
                      eval_dataset=Days(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "clearsky").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PatchTSMixer regressor giving a day's cloud cover and clear-sky index from"
                " global and diffuse pyranometer records, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
