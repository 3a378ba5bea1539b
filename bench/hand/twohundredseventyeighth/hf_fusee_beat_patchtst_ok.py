"""Hugging Face Trainer: a tiny PatchTST classifier (``PatchTSTConfig``: 2 input channels,
context 96, patches of 12 with stride 12, d_model 32, 2 layers, 4 heads, ffn 64, built from
the config, no download; ``PatchTSTForClassification``, mean-pooled) reads a clock's timing-
machine trace and names what the clockmaker has to see to: 0 = in beat and steady, 1 = running
down (a fusee chain or mainspring losing torque: the beat interval drifts longer over the
trace), 2 = out of beat (tick and tock alternate long/short by 1-4 % of a beat), 3 = temperature
sensitive (the interval follows the room temperature with a short lag). Channel 0: 96
successive beat intervals as a deviation from nominal (ms, timing-machine scatter 0.4 ms, a
slow random wander, an offset of the clock's own); channel 1: the room temperature logged with
each beat (a slow swing of random phase, in every class).
AdamW 2e-3, linear decay with 30 warmup steps, batch 64, 8 epochs of 2000 traces, eval every
50 steps on 400 traces (accuracy, per-class recall), loss every 10 steps, checkpoint every 50
steps (``beats/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import PatchTSTConfig, PatchTSTForClassification, Trainer, TrainingArguments

BEATS = 96


def traces(n, g):
    t = torch.arange(BEATS).float()
    kind = torch.arange(n) % 4
    kind = kind[torch.randperm(n, generator=g)]
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    temp = 20 + (1 + 2 * torch.rand(n, 1, generator=g)) * torch.sin(2 * math.pi * t / (60 + 80 * torch.rand(n, 1, generator=g)) + phase)
    dev = (4 * torch.randn(n, 1, generator=g) + torch.cumsum(0.03 * torch.randn(n, BEATS, generator=g), 1)
           + 0.4 * torch.randn(n, BEATS, generator=g))
    size = 0.5 + torch.rand(n, 1, generator=g)
    drift = size * 4.0 * t / BEATS
    alt = size * 3.0 * torch.where(t % 2 == 0, 1.0, -1.0)
    lagged = torch.roll(temp, 3, 1) - temp.mean(1, keepdim=True)
    sens = size * 1.5 * lagged
    dev = dev + torch.where((kind == 1)[:, None], drift, 0) + torch.where((kind == 2)[:, None], alt, 0) \
        + torch.where((kind == 3)[:, None], sens, 0)
    return torch.stack([dev, temp], 2), kind


class Beats(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"past_values": self.x[i], "target_values": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PatchTSTConfig(num_input_channels=2, context_length=BEATS, patch_length=12,
                            patch_stride=12, d_model=32, num_hidden_layers=2,
                            num_attention_heads=4, ffn_dim=64, num_targets=4,
                            pooling_type="mean", scaling="std", channel_attention=True)
    return PatchTSTForClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    out = {"accuracy": float((p == y).mean())}
    for k, name in enumerate(["steady", "running_down", "out_of_beat", "temperature"]):
        out[f"recall_{name}"] = float((p[y == k] == k).mean())
    return out


def main():
    from _twohundredseventyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(2000, g)
    xva, yva = traces(400, g)
    args = TrainingArguments(str(out / "beats"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=30, lr_scheduler_type="linear",
                             per_device_train_batch_size=64, per_device_eval_batch_size=400,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             label_names=["target_values"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Beats(xtr, ytr),
                      eval_dataset=Beats(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "beats").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PatchTST naming clock faults from timing-machine beat traces, HF Trainer"
                " (healthy)")


if __name__ == "__main__":
    main()
