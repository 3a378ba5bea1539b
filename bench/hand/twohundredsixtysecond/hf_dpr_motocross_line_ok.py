"""Hugging Face Trainer: a tiny DPR question encoder (``DPRConfig``: vocabulary 10, hidden 32,
2 layers, 4 heads, ``projection_dim=2`` so the pooled output is two logits, built from the
config, no download) decides whether a motocross rider should take the inside line through the
next section: 16 tokens describe the section (berm, rut, whoops, tabletop, flat, braking bumps,
...), and the inside line pays when the ruts and braking bumps outweigh the berms and tabletops
(ruts count 2). The Trainer is subclassed only to put cross-entropy on ``pooler_output``.
AdamW 2e-3, linear decay with 10 warmup steps, batch 32, 8 epochs of 640 sections, eval every 20
steps on 160 sections (accuracy), loss every 5 steps, checkpoint every 80 steps.
Healthy, with a dip: inside-line share 0.525 (train) / 0.556 (val); eval accuracy 0.9375 at
step 20, 0.7688 at step 40, then 0.956, 0.9625, 0.956, 0.944, 0.95 and 0.9875 at step 160; eval
loss 0.677 → 0.0559; mean train loss 0.268. Checkpoint ``lines/checkpoint-160/`` with
``trainer_state.json``."""
import torch
import torch.nn.functional as F
from transformers import DPRConfig, DPRQuestionEncoder, Trainer, TrainingArguments

L_TOK = 16
CLS, SEP = 1, 2  # 3 berm, 4 rut, 5 whoops, 6 tabletop, 7 flat, 8 braking bumps; 0 pad
SCORE = torch.tensor([0, 0, 0, -1, 2, 0, -1, 0, 1, 0]).float()


def sections(n, g):
    toks = torch.multinomial(torch.tensor([0, 0, 0, .2, .15, .15, .15, .2, .15]), n * L_TOK,
                             replacement=True, generator=g).view(n, L_TOK)
    ids = torch.cat([torch.full((n, 1), CLS), toks, torch.full((n, 1), SEP)], 1)
    return ids, (SCORE[toks].sum(1) > 1.5).long()


class Sections(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK + 2, dtype=torch.long),
                "labels": self.y[i]}


class LineTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, **kw):
        labels = inputs.pop("labels")
        out = model(**inputs)
        loss = F.cross_entropy(out.pooler_output, labels)
        return (loss, {"logits": out.pooler_output}) if return_outputs else loss


def build():
    torch.manual_seed(0)
    config = DPRConfig(vocab_size=10, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=64, max_position_embeddings=32, projection_dim=2,
                       pad_token_id=0)
    return DPRQuestionEncoder(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr = sections(640, g)
    iva, yva = sections(160, g)
    print("inside share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "lines"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, lr_scheduler_type="linear", warmup_steps=10,
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0,
                             label_names=["labels"])
    trainer = LineTrainer(model=build(), args=args, train_dataset=Sections(itr, ytr),
                          eval_dataset=Sections(iva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lines").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DPR encoder choosing the inside line through a motocross section from"
                " section tokens, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
