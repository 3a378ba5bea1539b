"""Hugging Face Trainer: a tiny ALBERT token classifier (``AlbertConfig``: vocabulary 40,
embedding 16, hidden 48, 2 layers sharing one set of weights, 4 heads, FFN 96, built from the
config, no download; ``AlbertForTokenClassification``) labels every reading of the profile
gauge run along the blade of a customer's key before a copy is cut, so the key cutting
machine knows where each cut root is: 0 = uncut blade (full height), 1 = flank of a cut (the
90-degree V walls), 2 = cut root (the flat bottom the depth code is read from). A key has 6
cuts 8 readings apart (48 readings, one every 0.5 mm); each cut's depth code is 0-9 (0 = no
cut), the root 1-2 readings wide, a worn key rounds the edges and lowers the blade by up to
0.2 mm, the gauge has 0.05 mm scatter. Height is quantised in 0.1 mm steps to 32 levels
(token = level + 4).
AdamW 2e-3, 12 warmup steps then linear decay, batch 32, 5 epochs of 1500 keys, eval every 50
steps on 300 keys (token accuracy, root recall, flank recall), loss every 20 steps, checkpoint
every 50 steps (``profile/checkpoint-N/`` with ``trainer_state.json``, 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    AlbertConfig,
    AlbertForTokenClassification,
    Trainer,
    TrainingArguments,
)

N, CUTS, PITCH = 48, 6, 8


def keys(n, g):
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.arange(N).float()
    h = torch.zeros(n, N)
    lab = torch.zeros(n, N, dtype=torch.long)
    for i in range(n):
        top = 3.1 - 0.2 * u(1).item()
        prof = torch.full((N,), top)
        li = torch.zeros(N, dtype=torch.long)
        for c in range(CUTS):
            code = int(10 * u(1).item())
            if code == 0:
                continue
            centre = 4 + PITCH * c + (u(1).item() - 0.5)
            half_root = 0.5 + 0.6 * u(1).item()
            depth = 0.3 * code * 0.85
            d = (pos - centre).abs()
            wall = top - depth + (d - half_root) * 0.5 * 2  # 0.5 mm per reading, 45 degrees
            cut = torch.where(d <= half_root, torch.full((N,), top - depth), wall)
            cut = torch.minimum(cut, torch.full((N,), top))
            prof = torch.minimum(prof, cut)
            li = torch.where((d <= half_root), torch.full_like(li, 2),
                             torch.where((cut < top - 0.05) & (li != 2), torch.ones_like(li), li))
        prof = prof + 0.05 * torch.randn(N, generator=g)
        h[i], lab[i] = prof, li
    ids = (h / 0.1).round().clamp(0, 31).long() + 4
    return ids, lab


class Profiles(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(N, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = AlbertConfig(vocab_size=40, embedding_size=16, hidden_size=48, num_hidden_layers=2,
                          num_attention_heads=4, intermediate_size=96, max_position_embeddings=64,
                          num_labels=3, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                          classifier_dropout_prob=0.0, pad_token_id=0)
    return AlbertForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    return {"token_accuracy": float((p == y).mean()),
            "recall_root": float((p[y == 2] == 2).mean()),
            "recall_flank": float((p[y == 1] == 1).mean())}


def main():
    from _twohundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = keys(1500, g)
    iva, lva = keys(300, g)
    print("label shares", torch.bincount(ltr.flatten()) / ltr.numel())
    args = TrainingArguments(str(out / "profile"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=12, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=20, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Profiles(itr, ltr),
                      eval_dataset=Profiles(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "profile").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ALBERT token classifier labelling cut roots and flanks along a key's"
                " gauged profile, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
