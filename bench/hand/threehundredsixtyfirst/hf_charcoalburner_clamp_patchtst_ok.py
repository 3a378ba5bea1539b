"""Hugging Face Trainer: a tiny PatchTST (``PatchTSTConfig``: 2 channels, context 48 h,
horizon 12 h, patches of 8 with stride 4, 32 wide, 2 layers, 4 heads, built from the config,
no download; ``PatchTSTForPrediction``) forecasts the next 12 hours of a charcoal burner's
clamp from the last 48: two iron probes pushed into the earth-covered stack, one near the
crown vent, one at the foot. The clamp is lit at the crown; the charring front works down
the stack (front speed 0.6-1.4 of nominal, set by the wood's moisture), each probe heating
from ambient to 280-420 °C as the front passes it, the foot probe 6-14 h after the crown;
the burner shuts the crown vent when the crown smoke turns blue, after which the crown
cools exponentially (time constant 10-20 h); the night wind opens the draught a little (a
24 h swing of 10-30 °C) and the probes read with 6 °C noise. Values in units of 100 °C.
Windows are cut at random points of 8-day burns.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 32, 6 epochs of
1024 windows, eval every 32 steps (each epoch) on 256 windows (MAE in °C, and the same for the
last reading carried forward), loss every 8 steps, checkpoint every 32 steps
(``clamp/checkpoint-N/`` with ``trainer_state.json``, 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import PatchTSTConfig, PatchTSTForPrediction, Trainer, TrainingArguments

CTX, HOR = 48, 12
HOURS = 192


def burns(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(HOURS).float()
    speed = 0.6 + 0.8 * r(n, 1)
    t_crown = 4 + 8 * r(n, 1)
    delay = (6 + 8 * r(n, 1)) / speed
    peak = 2.8 + 1.4 * r(n, 2, 1)
    shut = t_crown + (40 + 40 * r(n, 1)) / speed
    tau = 10 + 10 * r(n, 1)
    amb = 0.05 + 0.15 * r(n, 1)
    rise = lambda t0: torch.sigmoid((t - t0) / (3.0 / speed))  # noqa: E731
    crown = amb + (peak[:, 0] - amb) * rise(t_crown)
    crown = torch.where(t > shut, amb + (crown - amb) * torch.exp(-(t - shut).clamp(min=0) / tau),
                        crown)
    foot = amb + (peak[:, 1] - amb) * rise(t_crown + delay)
    foot_shut = shut + delay
    foot = torch.where(t > foot_shut,
                       amb + (foot - amb) * torch.exp(-(t - foot_shut).clamp(min=0) / (1.3 * tau)),
                       foot)
    wind = (0.1 + 0.2 * r(n, 1)) * torch.sin(2 * torch.pi * (t / 24 + r(n, 1)))
    hot = lambda v: (v - amb) / (v.amax(1, keepdim=True) - amb)  # noqa: E731
    x = torch.stack([crown + wind * hot(crown), foot + wind * hot(foot)], 2)
    x = x + 0.06 * torch.randn(n, HOURS, 2, generator=g)
    start = (r(n) * (HOURS - CTX - HOR)).long()
    idx = start[:, None] + torch.arange(CTX + HOR)
    w = torch.gather(x, 1, idx[:, :, None].expand(-1, -1, 2))
    return w[:, :CTX], w[:, CTX:]


class Windows(torch.utils.data.Dataset):
    def __init__(self, past, future):
        self.past, self.future = past, future

    def __len__(self):
        return len(self.past)

    def __getitem__(self, i):
        return {"past_values": self.past[i], "future_values": self.future[i]}


def build():
    torch.manual_seed(0)
    config = PatchTSTConfig(num_input_channels=2, context_length=CTX, prediction_length=HOR,
                            patch_length=8, patch_stride=4, d_model=32, num_attention_heads=4,
                            num_hidden_layers=2, ffn_dim=64, dropout=0.0, attention_dropout=0.0,
                            head_dropout=0.0, scaling="std", loss="mse")
    return PatchTSTForPrediction(config)


def metrics(pred):
    p = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    y = pred.label_ids
    return {"mae_degc": float(100 * abs(p - y).mean()),
            "mae_degc_crown": float(100 * abs(p[..., 0] - y[..., 0]).mean())}


def main():
    from _threehundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, ftr = burns(1024, g)
    pva, fva = burns(256, g)
    print("carry-forward MAE degC", (100 * (fva - pva[:, -1:]).abs().mean()).item())
    args = TrainingArguments(str(out / "clamp"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=32, save_total_limit=2,
                             label_names=["future_values"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Windows(ptr, ftr),
                      eval_dataset=Windows(pva, fva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "clamp").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": pva[:64], "targets": fva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PatchTST forecasting the next 12 h of a charcoal clamp's two probe"
                " temperatures from the last 48 h, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
