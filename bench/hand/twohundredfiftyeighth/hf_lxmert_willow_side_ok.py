"""Hugging Face Trainer: a tiny LXMERT (``LxmertConfig``: vocabulary 10, hidden 32, 1 language /
1 cross / 1 object layer, 4 heads, 5-dim stake features, 3 answer labels, built from the
config, no download) grades a willow basket's side from the weaver's notes. The language side is
the row sequence up the side as 16 tokens (randing, slewing, pairing, waling, rib, ...); the
"visual" side is 6 stakes, each with 5 measured features (butt thickness, soak time, ...) and a
2-D position. The grade is 0 (sound), 1 (will lean) or 2 (will split): a side leans when
randing rows outnumber the waling rows holding them, and splits when the stakes are thick and
under-soaked, so both streams matter. AdamW 1.5e-3, cosine decay after 9 warmup steps, batch 24, 6
epochs of 720 baskets, eval every 30 steps on 180 (accuracy), loss every 10 steps.
Healthy: numbers in the README (eval accuracy rises from the majority share to ~0.9)."""
import torch
from transformers import LxmertConfig, LxmertForQuestionAnswering, Trainer, TrainingArguments

L_TOK, N_STAKE, D_STAKE = 16, 6, 5
CLS, SEP = 1, 2  # 3 randing, 4 slewing, 5 pairing, 6 waling, 7 rib, 8 trac; 0 pad unused


def baskets(n, g):
    rows = torch.multinomial(torch.tensor([0, 0, 0, .32, .14, .14, .22, .18]), n * L_TOK,
                             replacement=True, generator=g).view(n, L_TOK)
    ids = torch.cat([torch.full((n, 1), CLS), rows, torch.full((n, 1), SEP)], 1)
    stakes = torch.randn(n, N_STAKE, D_STAKE, generator=g)
    pos = torch.stack([torch.linspace(0, 1, N_STAKE).expand(n, -1),
                       torch.rand(n, N_STAKE, generator=g)], 2)
    lean = (rows == 3).sum(1) - 2 * (rows == 6).sum(1) > 0
    split = (stakes[:, :, 0] - stakes[:, :, 1]).mean(1) > 0.45
    y = torch.where(split, 2, torch.where(lean, 1, 0))
    return ids, stakes, pos, y


class Baskets(torch.utils.data.Dataset):
    def __init__(self, ids, stakes, pos, y):
        self.ids, self.stakes, self.pos, self.y = ids, stakes, pos, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK + 2, dtype=torch.long),
                "visual_feats": self.stakes[i], "visual_pos": self.pos[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LxmertConfig(vocab_size=10, hidden_size=32, num_attention_heads=4,
                          intermediate_size=64, l_layers=1, x_layers=1, r_layers=1,
                          visual_feat_dim=D_STAKE, visual_pos_dim=2, num_qa_labels=3,
                          max_position_embeddings=32, task_matched=False, task_mask_lm=False,
                          task_obj_predict=False, visual_obj_loss=False, visual_attr_loss=False,
                          visual_feat_loss=False)
    return LxmertForQuestionAnswering(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = baskets(720, g)
    va = baskets(180, g)
    print("grade counts", torch.bincount(tr[3]).tolist(), torch.bincount(va[3]).tolist())
    args = TrainingArguments(str(out / "willow"), num_train_epochs=6, learning_rate=1.5e-3,
                             weight_decay=0.01, lr_scheduler_type="cosine", warmup_steps=9,
                             per_device_train_batch_size=24, per_device_eval_batch_size=180,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=90, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Baskets(*tr),
                      eval_dataset=Baskets(*va), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "willow").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    ids, stakes, pos, y = va
    finish(out, __file__, {"inputs": ids[:64], "visual_feats": stakes[:64],
                           "visual_pos": pos[:64], "targets": y[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LXMERT grading willow basket sides from row tokens and stake measurements,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
