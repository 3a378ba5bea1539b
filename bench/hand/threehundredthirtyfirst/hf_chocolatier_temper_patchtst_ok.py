"""Hugging Face Trainer: a tiny PatchTST regression model (``PatchTSTConfig``: 1 channel,
context 120, patches of 12, 32 wide, 2 layers with layer norm, 4 heads, built from the
config, no download; ``PatchTSTForRegression``) reads a temper meter's cooling curve and
gives the temper index, so a chocolatier can check the tempering machine's output without
waiting for the meter's own reading. The meter puts a cup of the tempered chocolate
(28.5-31.5 °C) on a chilled block (6-10 °C) and logs its temperature every 3 s for 6 min. The cocoa butter releases latent heat
as it crystallises: with few form V seed crystals (under-tempered, low index) the release
comes late and strong, the curve stalls or rises again; with too many seeds (over-tempered,
high index) it comes early and weak, the curve falls steeply with only a shoulder; a
well-tempered sample (index 4-6) shows a flat plateau. The index (2-8) sets the timing and size
of the release; the cooling itself follows Newton's law with a cup-to-cup rate; probe noise
0.05 °C.
Input: past_values (120, 1) in °C (PatchTST scales each curve itself); target (index - 5) / 2.
MSE, AdamW 2e-3 with cosine decay and 16 warmup steps, weight decay 0.01, batch 32, 8 epochs of
1024 curves, eval every 32 steps (each epoch) on 256 curves with ``eval_mae_index`` /
``eval_within_half``, loss every 8 steps, checkpoint every 64 steps (``temper/checkpoint-N/``
with ``trainer_state.json``, 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import PatchTSTConfig, PatchTSTForRegression, Trainer, TrainingArguments

T = 120


def curves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    idx = 2 + 6 * r(n, 1)
    t = 3.0 * torch.arange(T).float()
    t0 = 28.5 + 3 * r(n, 1)
    block = 6 + 4 * r(n, 1)
    k = (1 / 150) * (0.85 + 0.3 * r(n, 1))
    onset = 200 - 17 * idx + 10 * (r(n, 1) - 0.5)  # seconds: more seeds, earlier
    size = 5.0 * (9 - idx) / 7  # °C-equivalent of released heat: fewer seeds, more at once
    width = 12 + 4 * idx
    release = size * torch.sigmoid((t - onset) / width)
    # the released heat is lost to the block at the same cooling rate
    temp = block + (t0 - block) * torch.exp(-k * t)
    heat = torch.zeros(n, T)
    for s in range(1, T):
        heat[:, s] = heat[:, s - 1] * torch.exp(-k[:, 0] * 3) + (release[:, s] - release[:, s - 1])
    temp = temp + heat + 0.05 * torch.randn(n, T, generator=g)
    return temp.unsqueeze(2), (idx - 5) / 2


class Curves(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"past_values": self.x[i], "target_values": self.y[i]}


def build():
    torch.manual_seed(0)
    config = PatchTSTConfig(num_input_channels=1, context_length=T, patch_length=12,
                            patch_stride=12, d_model=32, num_attention_heads=4,
                            num_hidden_layers=2, ffn_dim=64, num_targets=1, loss="mse",
                            scaling="std", dropout=0.0, attention_dropout=0.0, ff_dropout=0.0,
                            head_dropout=0.0, pooling_type="mean", norm_type="layernorm")
    return PatchTSTForRegression(config)


def metrics(pred):
    p = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    err = 2 * abs(p.reshape(-1) - pred.label_ids.reshape(-1))
    return {"mae_index": float(err.mean()), "within_half": float((err <= 0.5).mean())}


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = curves(1024, g)
    xva, yva = curves(256, g)
    print("target var", ytr.var().item())
    args = TrainingArguments(str(out / "temper"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=64, save_total_limit=2,
                             label_names=["target_values"], report_to=[], use_cpu=True,
                             disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Curves(xtr, ytr),
                      eval_dataset=Curves(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "temper").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny PatchTST regression model reading a temper meter's cooling curve and giving"
                " the chocolate's temper index, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
