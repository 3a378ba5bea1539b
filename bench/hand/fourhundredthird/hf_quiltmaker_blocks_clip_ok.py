"""Hugging Face Trainer: a tiny CLIP vision tower with a classification head
(``CLIPForImageClassification`` from a ``CLIPConfig``: vision 16×16 px in 4×4 patches, 48
wide, 2 layers, 4 heads; a 1-layer text tower the head never uses; built from the config,
no download) names the pieced block in a photo crop of a quilt top, for a quiltmaker's
pattern-inventory app: nine-patch, four-patch, half-square triangle, log cabin, flying geese.
Each block is drawn by its piecing rule from two fabrics (random colours, a light and a dark
with enough contrast between them), turned by a random quarter-turn, with a weave texture,
uneven lighting across the crop and camera noise. Input: (3, 16, 16), pixel values minus
0.5, over 0.25.
AdamW 2e-3, weight decay 0.05, cosine decay after 24 warmup steps (10 %), batch 25, 6 epochs of 1000
blocks, eval and checkpoint each epoch on 250 (``blocks/checkpoint-N/`` with
``trainer_state.json``, two kept), loss every 8 steps; ``eval_accuracy`` and
``eval_acc_log_cabin``.
Healthy; numbers in the README."""
import torch
from transformers import CLIPConfig, CLIPForImageClassification, Trainer, TrainingArguments

BLOCKS = ["nine_patch", "four_patch", "half_square_triangle", "log_cabin", "flying_geese"]
S = 16


def masks():
    i, j = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    nine = ((torch.div(i, S / 3, rounding_mode="floor") + torch.div(j, S / 3, rounding_mode="floor"))
            % 2 == 0).float()
    four = ((torch.div(i, S / 2, rounding_mode="floor") + torch.div(j, S / 2, rounding_mode="floor"))
            % 2 == 0).float()
    hst = (i > j).float()
    ring = torch.maximum((i - 7.5).abs(), (j - 7.5).abs())
    cabin = (torch.div(ring, 2, rounding_mode="floor") % 2 == 0).float()
    geese = ((j - 7.5).abs() < (i % 8) + 0.5).float()
    return torch.stack([nine, four, hst, cabin, geese])


def photos(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    block = torch.randint(0, 5, (n,), generator=g)
    m = masks()[block]
    turns = torch.randint(0, 4, (n,), generator=g)
    m = torch.stack([torch.rot90(mi, int(k), (0, 1)) for mi, k in zip(m, turns)])  # noqa: B905
    light = 0.55 + 0.4 * r(n, 3, 1, 1)
    dark = light - 0.3 - 0.25 * r(n, 3, 1, 1)
    img = dark + (light - dark) * m.unsqueeze(1)
    weave = 0.04 * torch.sin(torch.arange(S).float() * 3.1).view(1, 1, S, 1)
    shade = 1 + 0.25 * (r(n, 1, 1, 1) - 0.5) * torch.linspace(-1, 1, S).view(1, 1, 1, S)
    img = img * shade + weave + 0.05 * torch.randn(n, 3, S, S, generator=g)
    return ((img.clamp(0, 1) - 0.5) / 0.25), block


class Crops(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = CLIPConfig(
        text_config=dict(vocab_size=64, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=16, pad_token_id=0,
                         bos_token_id=1, eos_token_id=2),
        vision_config=dict(image_size=S, patch_size=4, num_channels=3, hidden_size=48,
                           num_hidden_layers=2, num_attention_heads=4, intermediate_size=96),
        num_labels=len(BLOCKS), id2label=dict(enumerate(BLOCKS)),
        label2id={b: i for i, b in enumerate(BLOCKS)})
    return CLIPForImageClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"accuracy": float((p == y).mean()), "acc_log_cabin": float((p[y == 3] == 3).mean())}


def main():
    from _fourhundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = photos(1000, g)
    xva, yva = photos(250, g)
    print("blocks", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "blocks"), num_train_epochs=6, learning_rate=2e-3,
                             weight_decay=0.05, lr_scheduler_type="cosine", warmup_steps=24,
                             per_device_train_batch_size=25, per_device_eval_batch_size=250,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Crops(xtr, ytr),
                      eval_dataset=Crops(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "blocks").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CLIP vision tower with a classification head naming the pieced block in a"
                " quilt photo crop, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
