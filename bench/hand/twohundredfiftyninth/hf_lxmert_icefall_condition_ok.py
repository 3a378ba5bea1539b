"""Hugging Face Trainer: a tiny LXMERT (``LxmertConfig``: vocabulary 10, hidden 32, 4 heads,
1 language / 1 vision / 1 cross layer, visual feature dim 5, 2 answer labels, built from the
config, no download) decides whether an icefall pitch is "in condition" to lead today. The
language side is the guidebook-style description of the pitch as 10 ice tokens (blue ice, white
aerated ice, chandelier, verglas, slush, rock step, ...); the "visual" side is 3 test ice screw
placements, each a 5-number reading (bite depth, hollow sound, air temperature, sun on the
pitch, dinner-plating) with its position on the pitch as a 4-number box. The pitch is in
condition when the ice score of the description (blue ice +1, chandelier -1, slush -2,
verglas -1) plus the screw score (solid, deep, cold bites) is positive, so both streams
matter. AdamW 1e-3 with linear decay and 19 warmup steps, batch 32, 8 epochs of 768 pitches, eval
every 24 steps on 192 pitches (accuracy), loss every 6 steps, a checkpoint every 96 steps.
Healthy: numbers in the README."""
import torch
from transformers import LxmertConfig, LxmertForQuestionAnswering, Trainer, TrainingArguments

L_TOK, N_SCREW, D_VIS = 10, 3, 5
CLS, SEP = 1, 2  # 3 blue, 4 white, 5 chandelier, 6 verglas, 7 slush, 8 rock step, 9 snow
ICE = torch.tensor([0, 0, 0, 1, 0.3, -1, -1, -2, -0.5, 0])


def pitches(n, g):
    desc = torch.multinomial(torch.tensor([0, 0, 0, .3, .2, .12, .1, .08, .1, .1]), n * L_TOK,
                             replacement=True, generator=g).view(n, L_TOK)
    ids = torch.cat([torch.full((n, 1), CLS), desc, torch.full((n, 1), SEP)], 1)
    screws = torch.randn(n, N_SCREW, D_VIS, generator=g)
    boxes = torch.rand(n, N_SCREW, 4, generator=g)
    boxes = torch.cat([boxes[..., :2] * 0.8, boxes[..., :2] * 0.8 + 0.2], -1)
    screw = (screws[..., 0] - 0.6 * screws[..., 1] - 0.5 * screws[..., 2]).sum(1)
    score = 0.7 * ICE[desc].sum(1) + screw + 0.3
    return ids, screws, boxes, (score > 0).long()


class Pitches(torch.utils.data.Dataset):
    def __init__(self, ids, feats, pos, y):
        self.ids, self.feats, self.pos, self.y = ids, feats, pos, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK + 2, dtype=torch.long),
                "visual_feats": self.feats[i], "visual_pos": self.pos[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = LxmertConfig(vocab_size=10, hidden_size=32, num_attention_heads=4,
                          intermediate_size=64, l_layers=1, x_layers=1, r_layers=1,
                          visual_feat_dim=D_VIS, visual_pos_dim=4, num_qa_labels=2,
                          max_position_embeddings=16, hidden_dropout_prob=0.0,
                          attention_probs_dropout_prob=0.0)
    return LxmertForQuestionAnswering(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ftr, ptr, ytr = pitches(768, g)
    iva, fva, pva, yva = pitches(192, g)
    print("in-condition share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "icefall"), num_train_epochs=8, learning_rate=1e-3,
                             weight_decay=0.01, lr_scheduler_type="linear", warmup_steps=19,
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=96, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Pitches(itr, ftr, ptr, ytr),
                      eval_dataset=Pitches(iva, fva, pva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "icefall").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "visual_feats": fva[:64], "visual_pos": pva[:64],
                           "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny LXMERT judging whether an icefall pitch is in condition from ice tokens"
                " and test ice screw readings, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
