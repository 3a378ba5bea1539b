"""Hugging Face Trainer: a tiny RegNet (``RegNetConfig``: 1 channel, stem 8, stages 16 / 32
wide, one X-block each, group width 8, built from the config, no download;
``RegNetForImageClassification``) grades a bee-master's close-up photos of a brood frame, so
the weekly inspection flags colonies that need a new queen: solid capped worker brood,
spotty brood (a failing queen or brood disease: 20-45 % of the cells in the patch empty, dark
holes among the caps), or a drone-laying colony (a laying worker or unmated queen: domed,
brighter drone caps scattered over the patch, many cells empty). Each photo is a 32×32
grey patch of comb: a hexagonal grid of cells 5 px apart (odd rows shifted half a cell), a
random comb offset, flat worker caps (brightness 0.55-0.65 of the cell), domed drone caps
with a bright centre, dark empty cells, wax walls, uneven light across the patch and sensor
noise.
AdamW 2e-3 with linear decay and 15 warmup steps, weight decay 0.05, batch 32, 5 epochs of
960 patches (150 steps), eval every 30 steps on 300 patches (accuracy and recall of the
spotty class), loss every 10 steps, checkpoint every 30 steps (``brood/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import RegNetConfig, RegNetForImageClassification, Trainer, TrainingArguments

S, P = 32, 5.0


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cls = torch.randint(0, 3, (n,), generator=g)
    rows, cols = int(S / P) + 3, int(S / P) + 3
    # state of every cell: 0 worker cap, 1 empty, 2 drone cap
    u = r(n, rows, cols)
    empty_rate = torch.tensor([0.03, 0.0, 0.3])[cls].view(n, 1, 1)
    empty_rate = empty_rate + (cls == 1).float().view(n, 1, 1) * (0.2 + 0.25 * r(n, 1, 1))
    drone_rate = torch.tensor([0.0, 0.0, 0.45])[cls].view(n, 1, 1)
    state = torch.zeros(n, rows, cols, dtype=torch.long)
    state[u < empty_rate + drone_rate] = 2
    state[u < empty_rate] = 1
    oy, ox = P * r(n, 1, 1), P * r(n, 1, 1)
    yy = torch.arange(S).float().view(1, S, 1) + oy
    xx = torch.arange(S).float().view(1, 1, S) + ox
    ri = (yy / P).floor().long().expand(n, S, S)
    shift = (ri % 2).float() * P / 2
    xs = xx + shift
    ci = (xs / P).floor().long()
    dy = yy - (ri.float() + 0.5) * P
    dx = xs - (ci.float() + 0.5) * P
    rad = torch.sqrt(dy ** 2 + dx ** 2)
    st = state[torch.arange(n).view(n, 1, 1), ri.clamp(max=rows - 1), ci.clamp(max=cols - 1)]
    cap = 0.55 + 0.1 * r(n, 1, 1)
    img = torch.where(st == 0, cap * torch.ones_like(rad), torch.zeros_like(rad))
    img = torch.where(st == 1, 0.15 + 0.05 * rad, img)
    img = torch.where(st == 2, cap + 0.35 * (1 - (rad / 2.2) ** 2).clamp(min=0), img)
    img = torch.where(rad > 2.1, 0.35 * torch.ones_like(img), img)  # wax walls
    light = 0.8 + 0.4 * (r(n, 1, 1) * torch.linspace(-1, 1, S).view(1, 1, S)
                         + r(n, 1, 1) * torch.linspace(-1, 1, S).view(1, S, 1)) / 2
    img = img * light + 0.04 * torch.randn(n, S, S, generator=g)
    return ((img - 0.45) / 0.2).unsqueeze(1), cls


class Frames(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = RegNetConfig(num_channels=1, embedding_size=8, hidden_sizes=[16, 32], depths=[1, 1],
                          groups_width=8, layer_type="x", hidden_act="relu", num_labels=3,
                          id2label={0: "capped", 1: "spotty", 2: "drone_laying"},
                          label2id={"capped": 0, "spotty": 1, "drone_laying": 2})
    return RegNetForImageClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"acc": float((p == y).mean()), "recall_spotty": float((p[y == 1] == 1).mean())}


def main():
    from _threehundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(960, g)
    xva, yva = patches(300, g)
    print("classes", torch.bincount(ytr).tolist(), "pixel mean/std", xtr.mean().item(),
          xtr.std().item())
    args = TrainingArguments(str(out / "brood"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="linear", weight_decay=0.05,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Frames(xtr, ytr),
                      eval_dataset=Frames(xva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "brood").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (xva[:64], yva[:64]),
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny RegNet grading brood-frame photos (capped / spotty / drone-laying) for a"
                " bee-master, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
