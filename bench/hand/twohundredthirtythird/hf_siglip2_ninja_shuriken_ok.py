"""Hugging Face Trainer: a tiny SigLIP2 vision tower with its classification head
(``Siglip2ForImageClassification`` from a ``Siglip2Config``: hidden 32, 1 layer, 2 heads,
patch 4, 16×16 grey target board, built from the config, no download) names the ninja dojo
throw from the target board after a round of shuriken: a tight group at the centre (kihon),
a horizontal spray (yoko), or a group high on the board (ue). Five hits per board with random
spread, board shade and noise. A thin wrapper feeds the 16 patches with their attention mask
and 4×4 spatial shape, so the model takes (pixel_values, labels).
AdamW 3e-3, 10 warm-up steps then linear decay, batch 32, 8 epochs of 640 boards, eval every
20 steps, loss every 5 steps, a checkpoint every 50 steps (``checkpoint-N/trainer_state.json``).
Healthy: eval accuracy 0.41, 0.56, 0.70, 0.71, 0.75, 0.77, 0.79, 0.79 at steps 20-160 (one eval
per epoch), eval loss 1.06 → 0.55, still creeping down; the train loss is noisy (0.26-0.35 over
the last 30 steps, below the eval loss)."""
import torch
import torch.nn as nn
from transformers import Siglip2Config, Siglip2ForImageClassification, Trainer, TrainingArguments

S = 16


def boards(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    img = 0.2 * torch.rand(n, 1, 1, generator=g) + torch.zeros(n, S, S)
    for i in range(n):
        for _ in range(5):
            if y[i] == 0:
                r, c = 7.5 + 1.2 * torch.randn(2, generator=g)
            elif y[i] == 1:
                r = 7.5 + 1.0 * torch.randn(1, generator=g)
                c = 7.5 + 4.5 * torch.randn(1, generator=g)
            else:
                r = 3.0 + 1.2 * torch.randn(1, generator=g)
                c = 7.5 + 2.0 * torch.randn(1, generator=g)
            r = int(float(r).__round__()) % S
            c = int(float(c).__round__()) % S
            img[i, r, c] += 1.0
    img = img + 0.1 * torch.randn(n, S, S, generator=g)
    return img[:, None], y


class ThrowJudge(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.net = Siglip2ForImageClassification(config)

    def forward(self, pixel_values, labels=None):
        b = pixel_values.shape[0]
        patches = pixel_values.reshape(b, 1, 4, 4, 4, 4).permute(0, 2, 4, 3, 5, 1).reshape(b, 16, 16)
        mask = torch.ones(b, 16, dtype=torch.long)
        shapes = torch.tensor([[4, 4]] * b)
        out = self.net(pixel_values=patches, pixel_attention_mask=mask, spatial_shapes=shapes,
                       labels=labels)
        res = {"logits": out.logits}
        if labels is not None:
            res["loss"] = out.loss
        return res


class Boards(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = Siglip2Config(
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                           num_attention_heads=2, num_patches=16, patch_size=4, num_channels=1),
        text_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, vocab_size=64, bos_token_id=None,
                         eos_token_id=None, pad_token_id=0))
    config.num_labels = 3
    return ThrowJudge(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = boards(640, g)
    xva, yva = boards(192, g)
    args = TrainingArguments(str(out / "shuriken"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Boards(xtr, ytr),
                      eval_dataset=Boards(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "shuriken").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny SigLIP2 ninja-dojo shuriken-throw classifier, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
