"""Hugging Face Trainer: a tiny TimesFM 2.5 forecaster (``TimesFm2_5Config``: 32 wide, 2
layers, 4 heads, patches of 8, horizon 8, context 64, built from the config, no download;
``TimesFm2_5ModelForPrediction``) reads the last 64 hourly moisture readings of a heap of
green peppercorn spread on a drying yard (a capacitance probe in the heap, % wet basis)
and forecasts the next 8 hours, so the yard foreman knows when a heap will reach the
11 % that the buyer accepts and can cover heaps before the night dew. Drying follows a
falling-rate curve towards the air's equilibrium moisture; the rate follows the sun
(zero at night, a sine over the day scaled by the day's cloud), the heap picks up 0.3-1 %
of dew overnight, and thicker heaps dry slower; each heap starts at 55-70 % on its own
hour of the day. Series: (64,) % moisture; targets: the next (8,).
AdamW 2e-3 with linear decay and 10 warmup steps, batch 32, 5 epochs of 1200 heaps (190
steps), eval every 38 steps on 300 heaps (eval loss is the model's own point + quantile
loss), loss every 5 steps, checkpoint every 38 steps
(``yardcast/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import math

import torch
from transformers import TimesFm2_5Config, TimesFm2_5ModelForPrediction, Trainer, TrainingArguments

CTX, H = 64, 8


def heaps(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    hours = CTX + H
    start_hour = torch.randint(0, 24, (n, 1), generator=g).float()
    hod = (start_hour + torch.arange(hours).float()) % 24
    cloud = r(n, hours // 24 + 2)
    day = ((start_hour + torch.arange(hours).float()) // 24).long()
    sun = torch.clamp(torch.sin((hod - 6) / 12 * math.pi), min=0) * (1 - 0.7 * cloud.gather(1, day))
    thick = 0.7 + 0.6 * r(n, 1)
    m = 55 + 15 * r(n, 1)
    eq = 9 + 2 * r(n, 1)
    out = []
    for k in range(hours):
        m = m - 0.06 * sun[:, k:k + 1] * (m - eq) / thick
        dew = ((hod[:, k:k + 1] >= 22) | (hod[:, k:k + 1] < 5)).float() * (0.04 + 0.1 * r(n, 1))
        m = m + dew * (m < 40).float()
        out.append(m)
    series = torch.cat(out, 1) + 0.15 * torch.randn(n, hours, generator=g)
    return series[:, :CTX], series[:, CTX:]


class Yard(torch.utils.data.Dataset):
    def __init__(self, past, future):
        self.past, self.future = past, future

    def __len__(self):
        return len(self.past)

    def __getitem__(self, i):
        return {"past_values": self.past[i], "future_values": self.future[i]}


def build():
    torch.manual_seed(0)
    config = TimesFm2_5Config(hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=4, head_dim=8,
                              patch_length=8, horizon_length=H, context_length=CTX,
                              max_position_embeddings=CTX, output_quantile_len=16)
    return TimesFm2_5ModelForPrediction(config)


def main():
    from _threehundredtwentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr, ftr = heaps(1200, g)
    pva, fva = heaps(300, g)
    print("moisture", ptr[:, -1].mean().item(), ptr[:, -1].min().item(), ptr[:, -1].max().item(),
          "8h persistence MAE", (fva - pva[:, -1:]).abs().mean().item())
    args = TrainingArguments(str(out / "yardcast"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="linear", weight_decay=0.0,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=5, eval_strategy="steps", eval_steps=38,
                             save_strategy="steps", save_steps=38, save_total_limit=2,
                             label_names=["future_values"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Yard(ptr, ftr),
                      eval_dataset=Yard(pva, fva))
    trainer.train()
    print(trainer.evaluate())
    model = trainer.model.eval()
    with torch.no_grad():
        mae = (model(past_values=pva).mean_predictions - fva).abs().mean().item()
    print("val MAE % moisture", mae)
    last = max((out / "yardcast").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": pva[:64], "targets": fva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny TimesFM 2.5 forecasting the next 8 hours of a peppercorn drying-yard"
                " heap's moisture from the last 64, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
