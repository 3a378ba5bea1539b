"""Hugging Face Trainer: a tiny ViT-MAE (``ViTMAEConfig``: 16×16 one-channel images, 4×4
patches, 32 wide, 2 encoder layers, 4 heads, a 1-layer 32-wide decoder, built from the
config, no download; ``ViTMAEForPreTraining``) learns to fill in a malthouse germination
floor's thermal picture from the half of its patches the camera above the floor still
sees (the rest hidden by the turning machine and steam). The germinating bed warms from
the grain's respiration: a base temperature of 14-18 °C, rising towards the middle of the
couch, warm patches (up to +4 °C, 2-4 px wide) where the bed was not turned and heats up,
cool stripes along the last turning lanes, a gradient from the air inlet side; camera
noise 0.15 °C. Masked autoencoding with mask ratio 0.5 (the model draws its own masks).
Input: (1, 16, 16) (°C - 16) / 2. AdamW 2e-3, weight decay 0.05, 25 warmup steps and cosine
decay, batch 32, 8 epochs of 800 pictures, eval every 25 steps (each epoch) on 200,
loss every 10 steps (``trainer.can_return_loss = True`` so that the Trainer logs an
``eval_loss`` for a model without labels), checkpoint every 25 steps (``floorcam/checkpoint-N/`` with
``trainer_state.json``, the last 2 kept).
Healthy; numbers in the README."""

import torch
from transformers import Trainer, TrainingArguments, ViTMAEConfig, ViTMAEForPreTraining

S = 16


def floors(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    base = 14 + 4 * r(n, 1, 1)
    mid = 1.5 * r(n, 1, 1) * torch.exp(-((xx - 7.5) ** 2 + (yy - 7.5) ** 2) / 60)
    img = base + mid + 0.08 * r(n, 1, 1) * (xx - 7.5)
    for _ in range(2):
        cx, cy, w = 16 * r(n, 1, 1), 16 * r(n, 1, 1), 1 + 1.5 * r(n, 1, 1)
        img = img + 4 * r(n, 1, 1) * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * w * w))
    lane = (16 * r(n, 1, 1)).floor()
    img = img - 1.2 * r(n, 1, 1) * ((yy - lane).abs() < 1).float()
    img = img + 0.15 * torch.randn(n, S, S, generator=g)
    return ((img - 16) / 2).unsqueeze(1)


class Pictures(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i]}


def build():
    torch.manual_seed(0)
    config = ViTMAEConfig(image_size=S, patch_size=4, num_channels=1, hidden_size=32,
                          num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                          decoder_hidden_size=32, decoder_num_hidden_layers=1,
                          decoder_num_attention_heads=4, decoder_intermediate_size=64,
                          mask_ratio=0.5, norm_pix_loss=False, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0)
    return ViTMAEForPreTraining(config)


def main():
    from _fourhundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = floors(800, g), floors(200, g)
    print("pixel var", xtr.var().item(), "per-picture var", xtr.var((1, 2, 3)).mean().item())
    args = TrainingArguments(str(out / "floorcam"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=32, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="steps", eval_steps=25,
                             save_strategy="steps", save_steps=25, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Pictures(xtr),
                      eval_dataset=Pictures(xva))
    trainer.can_return_loss = True  # the MAE computes its own loss, no labels: log eval_loss too
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "floorcam").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ViT-MAE filling in hidden patches of a malthouse germination floor's"
                " thermal picture, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
